// A job's page follows its job: a small JSON status every 1.5 s (slower after a failed request),
// the bar and message updated in place; once done it goes on to the next page or shows the file.
(function () {
  function follow(root) {
    var url = root.getAttribute("data-job-status");
    var bar = root.querySelector("[data-job-progress]");
    var percent = root.querySelector("[data-job-percent]");
    var state = root.querySelector("[data-job-state]");
    var message = root.querySelector("[data-job-message]");
    var download = root.querySelector("[data-job-download]");
    var next = root.querySelector("[data-job-next]");
    var back = root.querySelector("[data-job-back]");
    var delay = 1500;
    function show(s) {
      bar.value = s.progress;
      bar.textContent = s.progress + "%";
      percent.textContent = s.progress + "%";
      state.textContent = s.state_label;
      message.textContent = s.message;
      if (s.state === "failed") {
        message.className = "error";
        message.setAttribute("role", "alert");
        if (back) back.hidden = false;
      }
      if (s.download) { download.href = s.download; download.hidden = false; }
      if (s.next) { next.href = s.next; next.hidden = false; }
    }
    function poll() {
      var controller = window.AbortController ? new AbortController() : null;
      var timer = controller ? setTimeout(function () { controller.abort(); }, 15000) : null;
      fetch(url, { credentials: "same-origin", cache: "no-store", headers: { "Accept": "application/json" }, signal: controller ? controller.signal : undefined })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (s) {
          delay = 1500;
          show(s);
          if (s.finished) {
            var live = root.querySelector("[data-job-live]");
            if (live) live.hidden = true;
            if (s.next) window.location.assign(s.next);
            return;
          }
          setTimeout(poll, delay);
        })
        .catch(function () { delay = Math.min(delay * 2, 10000); setTimeout(poll, delay); })
        .finally(function () { if (timer) clearTimeout(timer); });
    }
    if (root.getAttribute("data-finished") !== "1") setTimeout(poll, 1000);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-job-status]").forEach(follow);
  });
})();
