// Starts GOV.UK Frontend's JavaScript components.
//
// Load with <script type="module" src="{% static 'js/init.js' %}"></script>.
// Browsers that do not support ES modules skip this file, which is what GOV.UK
// Frontend expects: its components only run if <body> has the class
// "govuk-frontend-supported", and the page still works without them.
//
// Our Content-Security-Policy does not allow inline scripts, so the classes
// that GOV.UK Frontend's page template adds with an inline <script> at the top
// of <body> are added here instead. Module scripts run after the page has been
// parsed, so document.body exists.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");

initAll();
