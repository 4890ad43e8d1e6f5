// Small enhancements; every page works without them.
(function () {
  function setupChecklist(root) {
    var filter = root.querySelector(".checklist-filter");
    var count = root.querySelector(".checklist-count");
    function update() {
      var n = root.querySelectorAll("input[type=checkbox]:checked").length;
      count.textContent = n ? "Đã chọn " + n + " đơn vị" : "Chưa chọn đơn vị nào";
    }
    filter.addEventListener("input", function () {
      var q = filter.value.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d");
      root.querySelectorAll(".checklist-item").forEach(function (item) {
        var t = item.textContent.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d");
        item.hidden = q && t.indexOf(q) === -1;
      });
    });
    root.addEventListener("click", function (e) {
      var all = e.target.closest("[data-check-all]"), none = e.target.closest("[data-check-none]");
      if (!all && !none) return;
      e.preventDefault();
      e.target.closest("fieldset").querySelectorAll(".checklist-item:not([hidden]) input").forEach(function (box) { box.checked = !!all; });
      update();
    });
    root.addEventListener("change", update);
    update();
  }
  function init(scope) { scope.querySelectorAll("[data-checklist]").forEach(setupChecklist); }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
})();

// Confirmations and self-submitting selects, written as data attributes: the Content-Security-Policy
// allows no inline event handler (onclick="…"), so the behaviour lives here.
document.addEventListener("click", function (e) {
  var el = e.target.closest("[data-confirm]");
  if (el && !window.confirm(el.getAttribute("data-confirm"))) { e.preventDefault(); e.stopImmediatePropagation(); }
}, true);
document.addEventListener("change", function (e) {
  if (e.target.matches("[data-autosubmit]") && e.target.form) e.target.form.requestSubmit ? e.target.form.requestSubmit() : e.target.form.submit();
});

// The receipt form: type words of a procedure's name to narrow its list (accents optional).
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("procedure-filter"), select = document.getElementById("id_procedure");
  if (!box || !select) return;
  function fold(s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase(); }
  box.addEventListener("input", function () {
    var words = fold(box.value).split(/\s+/).filter(Boolean), first = null;
    Array.prototype.forEach.call(select.options, function (o) {
      var text = fold(o.text), show = !o.value || words.every(function (w) { return text.indexOf(w) >= 0; });
      o.hidden = !show;
      if (show && o.value && first === null) first = o;
    });
    if (first && select.selectedOptions[0] && select.selectedOptions[0].hidden) {
      first.selected = true;
      select.dispatchEvent(new Event("change", { bubbles: true }));  // the checklist follows
    }
  });
});

// Long operations (a plan import, a report's figures, a big export): while the request runs, the
// button is disabled (no second submission), says what is happening, and a progress bar shows.
// Markup only: <form data-busy="Đang đọc văn bản…"> or <a data-busy="Đang tạo tệp Excel…" href=…>.
// A download link is fetched here so that its progress is real (bytes received of the size the
// server announced) and the link stays disabled until the file is saved. Other code — a
// background job's progress display — drives the same display through window.cchcBusy:
// start(el, text), progress(el, fraction or null, text), end(el).
(function () {
  var NUMBER = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1 });
  function mb(bytes) { return NUMBER.format(bytes / 1048576) + " MB"; }
  function statusOf(el) {
    var box = el._busyBox;
    if (!box) {
      box = document.createElement("span");
      box.className = "busy-status";
      box.setAttribute("role", "status");
      box.setAttribute("aria-live", "polite");
      var bar = document.createElement("progress");
      bar.className = "busy-progress";
      bar.max = 1;
      var text = document.createElement("span");
      text.className = "busy-text";
      box.appendChild(bar);
      box.appendChild(text);
      el._busyBox = box;
    }
    return box;
  }
  function buttonsOf(el) {
    return el.tagName === "FORM" ? Array.prototype.slice.call(el.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]")) : [el];
  }
  function start(el, text, submitter) {
    var box = statusOf(el), started = Date.now();
    text = text || el.getAttribute("data-busy") || "Đang xử lý…";
    el.setAttribute("aria-busy", "true");
    buttonsOf(el).forEach(function (b) {
      if (b.tagName === "A") { b.setAttribute("aria-disabled", "true"); b.classList.add("is-busy"); }
      else { b.disabled = true; }
    });
    var anchor = submitter || buttonsOf(el)[buttonsOf(el).length - 1] || el;
    if (anchor._busyLabel === undefined) { anchor._busyLabel = anchor.textContent; }
    el._busyAnchor = anchor;
    anchor.textContent = text;
    anchor.insertAdjacentElement("afterend", box);
    box.hidden = false;
    box.querySelector("progress").removeAttribute("value");  // indeterminate until a fraction is known
    box.querySelector(".busy-text").textContent = "";
    clearInterval(el._busyTimer);
    el._busyTimer = setInterval(function () {
      if (el._busyFraction == null) {
        box.querySelector(".busy-text").textContent = " " + Math.round((Date.now() - started) / 1000) + " giây";
      }
    }, 1000);
  }
  function progress(el, fraction, text) {
    var box = statusOf(el), bar = box.querySelector("progress");
    el._busyFraction = fraction;
    if (fraction == null) { bar.removeAttribute("value"); } else { bar.value = Math.max(0, Math.min(1, fraction)); }
    if (text != null) { box.querySelector(".busy-text").textContent = " " + text; }
  }
  function end(el, message) {
    clearInterval(el._busyTimer);
    el._busyFraction = null;
    el.removeAttribute("aria-busy");
    buttonsOf(el).forEach(function (b) {
      if (b.tagName === "A") { b.removeAttribute("aria-disabled"); b.classList.remove("is-busy"); }
      else { b.disabled = false; }
    });
    var anchor = el._busyAnchor;
    if (anchor && anchor._busyLabel !== undefined) { anchor.textContent = anchor._busyLabel; }
    if (el._busyBox) {
      if (message) { el._busyBox.querySelector("progress").hidden = true; el._busyBox.querySelector(".busy-text").textContent = " " + message; }
      else { el._busyBox.hidden = true; }
    }
  }
  window.cchcBusy = { start: start, progress: progress, end: end };

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.matches("form[data-busy]") || e.defaultPrevented) return;
    if (form.getAttribute("aria-busy") === "true") { e.preventDefault(); return; }  // a second click
    var submitter = e.submitter;
    // After the browser has read the form (a disabled button would not send its name and value).
    setTimeout(function () { start(form, null, submitter && submitter.tagName === "BUTTON" ? submitter : null); }, 0);
  });
  // Back to a page kept in the browser's cache: its buttons work again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("[data-busy][aria-busy=true]").forEach(function (el) { end(el); });
  });

  function filename(response, href) {
    var cd = response.headers.get("Content-Disposition") || "";
    var star = /filename\*=UTF-8''([^;]+)/i.exec(cd), plain = /filename="?([^";]+)"?/i.exec(cd);
    if (star) return decodeURIComponent(star[1]);
    if (plain) return plain[1];
    return href.split("/").filter(Boolean).pop() || "tep";
  }
  document.addEventListener("click", function (e) {
    var link = e.target.closest("a[data-busy]");
    if (!link || e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || !window.fetch || !window.ReadableStream) return;
    e.preventDefault();
    if (link.getAttribute("aria-busy") === "true") return;
    start(link);
    fetch(link.href, { credentials: "same-origin" }).then(function (response) {
      var isFile = /attachment/i.test(response.headers.get("Content-Disposition") || "");
      if (!response.ok || !isFile || !response.body) {
        // Not a file (an error page, the sign-in page): let the browser show it as it is.
        end(link);
        window.location.href = link.href;
        return null;
      }
      var total = parseInt(response.headers.get("Content-Length") || "0", 10), got = 0, chunks = [];
      var reader = response.body.getReader(), name = filename(response, link.href);
      var type = response.headers.get("Content-Type") || "application/octet-stream";
      function pump() {
        return reader.read().then(function (step) {
          if (step.done) {
            var url = URL.createObjectURL(new Blob(chunks, { type: type }));
            var a = document.createElement("a");
            a.href = url; a.download = name; a.hidden = true;
            document.body.appendChild(a); a.click(); a.remove();
            setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
            end(link, "Đã tải xong " + name + " (" + mb(got) + ").");
            return null;
          }
          chunks.push(step.value);
          got += step.value.length;
          progress(link, total ? got / total : null, total ? "Đã nhận " + mb(got) + " / " + mb(total) : "Đã nhận " + mb(got));
          return pump();
        });
      }
      progress(link, total ? 0 : null, "Đang nhận tệp…");
      return pump();
    }).catch(function () {
      end(link, "Không tải được tệp: mất kết nối hoặc máy chủ không trả lời. Hãy thử lại.");
    });
  });
})();
