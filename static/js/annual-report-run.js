/*
 * The annual report's assembly page: asks the server how far the job has got every second or
 * two and updates the page in place (the step, the count and each section), then shows the
 * downloads or the failure. Without JavaScript the page says to refresh it instead.
 */
const root = document.getElementById('run-progress')

function text (tag, content, className) {
  const element = document.createElement(tag)
  if (className) element.className = className
  element.textContent = content
  return element
}

function showDone (status) {
  const outcome = document.getElementById('run-outcome')
  outcome.replaceChildren()
  const banner = document.createElement('div')
  banner.className = 'govuk-notification-banner govuk-notification-banner--success'
  banner.setAttribute('role', 'alert')
  banner.setAttribute('aria-labelledby', 'run-title')
  const header = document.createElement('div')
  header.className = 'govuk-notification-banner__header'
  const title = text('h2', 'Success', 'govuk-notification-banner__title')
  title.id = 'run-title'
  header.append(title)
  const content = document.createElement('div')
  content.className = 'govuk-notification-banner__content'
  content.append(text('p', 'The documents are ready.', 'govuk-notification-banner__heading'))
  banner.append(header, content)
  outcome.append(banner)
  const heading = text('h2', 'Download', 'govuk-heading-m')
  const list = document.createElement('ul')
  list.className = 'govuk-list'
  list.id = 'run-downloads'
  const names = { pdf: 'Download the PDF', docx: 'Download the Word document', html: 'Download the web page (HTML)' }
  for (const format of ['pdf', 'docx', 'html']) {
    const item = document.createElement('li')
    const link = text('a', names[format], 'govuk-link')
    link.href = status.downloads[format]
    item.append(link)
    list.append(item)
  }
  outcome.after(heading, list)
}

function showFailed (status) {
  const outcome = document.getElementById('run-outcome')
  outcome.replaceChildren()
  const summary = document.createElement('div')
  summary.className = 'govuk-error-summary'
  const alert = document.createElement('div')
  alert.setAttribute('role', 'alert')
  alert.append(text('h2', 'The report could not be assembled: ' + status.failed_section + ' failed', 'govuk-error-summary__title'))
  const body = document.createElement('div')
  body.className = 'govuk-error-summary__body'
  body.append(text('p', status.error, 'govuk-body'))
  alert.append(body)
  summary.append(alert)
  outcome.append(summary)
}

function update (status) {
  const step = document.getElementById('run-step')
  const count = document.getElementById('run-count')
  if (step) step.textContent = status.step || status.status_label
  if (count) count.textContent = status.done + ' of ' + status.total
  const items = document.querySelectorAll('#run-sections li')
  status.sections.forEach((section, index) => {
    const item = items[index]
    if (!item) return
    item.dataset.done = section.done ? 'yes' : 'no'
    item.querySelector('.app-run-sections__state').textContent = section.done ? 'done' : 'not yet'
  })
  if (status.status === 'done') showDone(status)
  if (status.status === 'failed') showFailed(status)
  return status.finished
}

async function poll () {
  try {
    const response = await fetch(root.dataset.statusUrl, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
    if (response.ok && update(await response.json())) return
  } catch (error) {
    // The next try may reach the server; the refresh link is still there.
  }
  window.setTimeout(poll, 1500)
}

if (root && (root.dataset.status === 'queued' || root.dataset.status === 'running')) {
  for (const hint of document.querySelectorAll('.app-js-hidden')) hint.hidden = true
  window.setTimeout(poll, 1000)
}
