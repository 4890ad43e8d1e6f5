// Saves the report's narrative every few seconds while it is being edited (the form works
// without this: "Lưu dự thảo" saves too). Served locally; no library.
(function () {
  "use strict";
  var form = document.getElementById("bao-cao-form");
  if (!form || !window.fetch || !window.FormData) return;
  var note = document.getElementById("tu-luu");
  var dirty = false;
  form.addEventListener("input", function (e) {
    if (e.target.tagName === "TEXTAREA") dirty = true;
  });
  function save() {
    if (!dirty) return;
    dirty = false;
    var data = new FormData();
    form.querySelectorAll("textarea, input[name=csrfmiddlewaretoken]").forEach(function (el) {
      data.append(el.name, el.value);
    });
    fetch(form.dataset.autosave, {
      method: "POST",
      body: data,
      headers: { "X-Autosave": "1" },
      credentials: "same-origin",
    })
      .then(function (r) { return r.json(); })
      .then(function (j) {
        if (note) note.textContent = j.ok ? "Đã tự lưu lúc " + j.saved_at : (j.errors || []).join(" ");
      })
      .catch(function () {
        dirty = true;
        if (note) note.textContent = "Chưa tự lưu được; hãy bấm “Lưu dự thảo”.";
      });
  }
  setInterval(save, 5000);
})();
