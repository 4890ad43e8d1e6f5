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
