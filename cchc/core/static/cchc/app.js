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
