// The session timeout warning (GOV.UK's timeout warning pattern) and putting back text that was
// typed before a session ended. Loaded as a module from the base template: no inline script.
//
// The server ends a session SESSION_COOKIE_AGE seconds after the last request. This page warns
// `warn` seconds before that, in a modal dialog with a count-down. "Stay signed in" asks the server
// to start the session's time again. If the time runs out the dialog says so; the page stays as it
// is, and a form pressed after that keeps its text through signing in again (tracker/kept_forms.py).

function minutesAndSeconds(seconds) {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  const parts = [];
  if (minutes > 0) parts.push(`${minutes} minute${minutes === 1 ? "" : "s"}`);
  if (rest > 0 || minutes === 0) parts.push(`${rest} second${rest === 1 ? "" : "s"}`);
  return parts.join(" ");
}

function startTimeoutWarning(root) {
  const dialog = root.querySelector("dialog");
  const count = root.querySelector(".app-timeout__count");
  const announce = root.querySelector(".app-timeout__announce");
  const stay = root.querySelector(".app-timeout__stay");
  const warning = root.querySelector(".app-timeout__warning");
  const ended = root.querySelector(".app-timeout__ended");
  const close = root.querySelector(".app-timeout__close");
  const csrf = root.querySelector("input[name=csrfmiddlewaretoken]").value;
  const warn = Number(root.dataset.warnSeconds);
  let endsAt = Date.now() + Number(root.dataset.sessionSeconds) * 1000;
  let lastAnnounced = null;

  function secondsLeft() {
    return Math.max(0, Math.ceil((endsAt - Date.now()) / 1000));
  }

  function tick() {
    const left = secondsLeft();
    if (left > warn) {
      return;
    }
    if (!dialog.open) {
      dialog.showModal();
      lastAnnounced = null;
    }
    if (left === 0) {
      warning.hidden = true;
      stay.hidden = true;
      ended.hidden = false;
      close.hidden = false;
      close.focus();
      clearInterval(timer);
      return;
    }
    count.textContent = minutesAndSeconds(left);
    // Screen readers hear the time when the dialog opens, then every 30 seconds, then each 10 at the end.
    const step = left > 60 ? 30 : 10;
    if (lastAnnounced === null || lastAnnounced - left >= step) {
      announce.textContent = `We will sign you out in ${minutesAndSeconds(left)}.`;
      lastAnnounced = left;
    }
  }

  async function staySignedIn() {
    const response = await fetch(root.dataset.keepAliveUrl, {
      method: "POST",
      headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      credentials: "same-origin",
      redirect: "manual",
    });
    if (response.ok) {
      const body = await response.json();
      endsAt = Date.now() + body.seconds * 1000;
      dialog.close();
    } else {
      endsAt = Date.now();
      tick();
    }
  }

  stay.addEventListener("click", staySignedIn);
  // Escape closes a modal dialog; as in GOV.UK's pattern, it also keeps the person signed in.
  dialog.addEventListener("cancel", (event) => {
    if (!stay.hidden) {
      event.preventDefault();
      staySignedIn();
    }
  });
  close.addEventListener("click", () => dialog.close());
  const timer = setInterval(tick, 1000);
}

function restoreKeptForm(data) {
  // Only fields a person types or chooses: hidden fields (versions, next) stay as the page sent them.
  const fields = JSON.parse(data.textContent);
  for (const [name, values] of Object.entries(fields)) {
    for (const element of document.querySelectorAll("main form [name]")) {
      if (element.name !== name) continue;
      if (element.type === "radio" || element.type === "checkbox") {
        element.checked = values.includes(element.value);
      } else if (element.tagName === "SELECT") {
        for (const option of element.options) option.selected = values.includes(option.value);
      } else if (element.tagName === "TEXTAREA" || !["hidden", "file", "password", "submit", "button"].includes(element.type)) {
        element.value = values[0] ?? "";
      }
    }
  }
  // Show the questions that a restored choice reveals, as GOV.UK Frontend does when one is clicked.
  for (const choice of document.querySelectorAll("main form input[aria-controls]")) {
    const revealed = document.getElementById(choice.getAttribute("aria-controls"));
    if (!revealed) continue;
    revealed.classList.toggle("govuk-radios__conditional--hidden", !choice.checked);
    revealed.classList.toggle("govuk-checkboxes__conditional--hidden", !choice.checked);
    choice.setAttribute("aria-expanded", String(choice.checked));
  }
}

const root = document.getElementById("app-timeout");
if (root) startTimeoutWarning(root);
const kept = document.getElementById("app-kept-form");
if (kept) restoreKeptForm(kept);
