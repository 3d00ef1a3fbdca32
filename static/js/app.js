/*
 * Front-end entry point: initialises GOV.UK Frontend and MoJ Frontend components.
 *
 * Load as an ES module at the end of <body> (module scripts are deferred):
 *   <script type="module" src="{% static 'js/app.js' %}"></script>
 * Both vendored libraries are self-contained ES modules, imported here, so the
 * template needs no other <script> tag for them. static/js/supported.js must
 * also be loaded (see static/vendor/README.md).
 *
 * The imports are relative to this file (static/js/ -> static/vendor/), so they
 * resolve to /static/vendor/... and keep working if STATIC_URL changes.
 */
import { initAll as initGovukFrontend } from '../vendor/govuk-frontend/govuk-frontend.min.js'
import { initAll as initMojFrontend } from '../vendor/moj-frontend/moj-frontend.min.js'

// Safety net if a template forgot supported.js. Code here only runs in browsers
// that support ES modules, i.e. the ones GOV.UK Frontend supports.
document.body.classList.add('js-enabled', 'govuk-frontend-supported')

initGovukFrontend()
initMojFrontend()

// A table's scrolling container is focusable so that keyboard users can scroll it; where the
// table fits and nothing scrolls, it comes out of the tab order (and back in if the window
// narrows). Without JavaScript every container stays focusable, which is safe.
function tableContainersFocusableWhenScrolling () {
  for (const container of document.querySelectorAll('.app-table-container')) {
    if (container.scrollWidth > container.clientWidth) {
      container.setAttribute('tabindex', '0')
    } else {
      container.removeAttribute('tabindex')
    }
  }
}
tableContainersFocusableWhenScrolling()
window.addEventListener('resize', tableContainersFocusableWhenScrolling)
