// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  // "Add another identifier": clone the empty formset row and bump TOTAL_FORMS.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-row]");
    if (!button) return;
    event.preventDefault();
    var prefix = button.getAttribute("data-add-row");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    var template = document.getElementById(prefix + "-empty");
    var index = parseInt(total.value, 10);
    if (max && index >= parseInt(max.value, 10)) return;
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    document.getElementById(prefix + "-rows").appendChild(holder.firstElementChild);
    total.value = String(index + 1);
  });
  // Show only the districts of the chosen region.
  function filterDistricts() {
    var region = document.getElementById("id_region");
    var district = document.getElementById("id_district");
    if (!region || !district) return;
    var label = region.options[region.selectedIndex] ? region.options[region.selectedIndex].text : "";
    Array.prototype.forEach.call(district.querySelectorAll("optgroup"), function (group) {
      var show = !region.value || group.label === label;
      group.hidden = !show;
      group.disabled = !show;
    });
  }
  // The "other currency" code box is only needed when "other" is chosen; it stays visible
  // when it holds a value or an error, so nothing typed is ever hidden.
  function toggleOtherCurrency() {
    var currency = document.getElementById("id_loss_currency");
    var other = document.getElementById("id_loss_currency_other");
    if (!currency || !other) return;
    var field = other.closest(".field");
    if (!field) return;
    field.hidden = !(currency.value === "other" || other.value || field.classList.contains("has-error"));
  }
  document.addEventListener("change", function (event) {
    if (!event.target) return;
    if (event.target.id === "id_region") filterDistricts();
    if (event.target.id === "id_loss_currency") toggleOtherCurrency();
  });
  document.addEventListener("DOMContentLoaded", function () {
    filterDistricts();
    toggleOtherCurrency();
  });
})();
