// "Add a row" on the trade form: copy the table's last row, number its fields one higher
// (p4_name -> p5_name) and empty them. The server reads rows up to the table's data-max.
document.addEventListener("click", function (event) {
  var button = event.target.closest("button.add-row");
  if (!button) return;
  var table = document.getElementById(button.dataset.table);
  var last = table.rows[table.rows.length - 1];
  var max = parseInt(table.dataset.max || "50", 10);
  if (table.rows.length - 1 >= max) { button.disabled = true; return; }
  var row = last.cloneNode(true);
  row.querySelectorAll("[name], [id]").forEach(function (field) {
    ["name", "id"].forEach(function (attr) {
      var value = field.getAttribute(attr);
      if (!value) return;
      field.setAttribute(attr, value.replace(/^([pgr])(\d+)_/, function (_, kind, n) {
        return kind + (parseInt(n, 10) + 1) + "_";
      }));
    });
    if (field.type === "checkbox") field.checked = false;
    else if (field.tagName === "SELECT") field.selectedIndex = 0;
    else if ("value" in field) field.value = "";
  });
  last.parentNode.appendChild(row);
  var first = row.querySelector("input, textarea");
  if (first) first.focus();
});
