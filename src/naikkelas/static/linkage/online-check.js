// The online duplicate check of the new-business form (linkage.online_views.online_check).
//
// When the officer has typed a business name and the owner's name, NIK or phone, the form's
// current values are posted (as the canonical linkage columns) to the URL in data-url, and
// the HTML answer (a partial, possibly empty) replaces the container's content. The check
// helps; it never blocks saving, so network errors leave the container empty and quiet.
(function () {
  "use strict";

  const box = document.querySelector("[data-online-check]");
  const form = box && box.closest("form");
  if (!box || !form || !window.fetch) {
    return;
  }

  // data-fields="owner_name:owner-full_name phone:phone,owner-phone ...": each canonical
  // column takes the first non-empty form field of its list.
  const columns = (box.dataset.fields || "")
    .split(/\s+/)
    .filter(Boolean)
    .map((pair) => {
      const [column, names] = pair.split(":");
      return { column, names: (names || "").split(",").filter(Boolean) };
    });

  const fieldValue = (name) => {
    const field = form.elements.namedItem(name);
    return field && typeof field.value === "string" ? field.value.trim() : "";
  };

  const typedRecord = () => {
    const record = {};
    for (const { column, names } of columns) {
      const found = names.map(fieldValue).find((value) => value !== "");
      if (found) {
        record[column] = found;
      }
    }
    return record;
  };

  const worthChecking = (record) =>
    Boolean(record.business_name && (record.owner_name || record.nik || record.phone));

  let timer = null;
  let lastSent = null;
  let pending = null;

  const show = (html) => {
    box.innerHTML = html;
  };

  const check = () => {
    const record = typedRecord();
    if (!worthChecking(record)) {
      if (pending) {
        pending.abort();
      }
      lastSent = null;
      show("");
      return;
    }
    const key = JSON.stringify(record);
    if (key === lastSent) {
      return;
    }
    lastSent = key;
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    const token = form.elements.namedItem("csrfmiddlewaretoken");
    fetch(box.dataset.url, {
      method: "POST",
      body: new URLSearchParams(record),
      headers: { "X-CSRFToken": token ? token.value : "" },
      credentials: "same-origin",
      redirect: "error", // a signed-out session would answer with the login page
      signal: pending.signal,
    })
      .then((response) => (response.ok ? response.text() : ""))
      .then(show)
      .catch((error) => {
        if (error.name !== "AbortError") {
          lastSent = null; // try again at the next change
          show("");
        }
      });
  };

  const schedule = (delay) => {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, delay);
  };

  // Debounced: a pause in typing, or leaving a field, triggers the check.
  form.addEventListener("input", () => schedule(800));
  form.addEventListener("change", () => schedule(150));
  form.addEventListener("focusout", () => schedule(150));
  // A form shown again after a failed save already holds values: check them at once.
  schedule(0);
  box.setAttribute("data-ready", "1");
})();
