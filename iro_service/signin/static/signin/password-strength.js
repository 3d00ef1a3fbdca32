/*
 * The live strength meter under a new password (ASVS 2.1.8; templates/signin/_strength_meter.html).
 *
 * It scores the password as it is typed with zxcvbn 4.4.2 (static/vendor/zxcvbn/), Dropbox's
 * original of the Python zxcvbn the server checks with, given the same words of the user's own
 * and the same first characters, so that both give the same score. It only advises: the server's
 * check decides when the form is sent, and without JavaScript the page works as it did.
 *
 * zxcvbn is 800 KB, nearly all dictionaries: it is added to the page the first time a password is
 * typed, not when the page opens. The verdict is words (a GOV.UK tag and a sentence), never
 * colour alone, in an aria-live region that the field names in aria-describedby. A classic
 * <script src> from our own origin, so the Content-Security-Policy (script-src 'self') allows it.
 */
const meter = document.querySelector('[data-password-strength]')
const field = meter && document.getElementById(meter.dataset.for)

// A screen reader is told the verdict once typing pauses, not at every key.
const PAUSE_MS = 400

function loadZxcvbn (url) {
  if (window.zxcvbn) return Promise.resolve(window.zxcvbn)
  return new Promise((resolve, reject) => {
    const script = document.createElement('script')
    script.src = url
    script.onload = () => resolve(window.zxcvbn)
    script.onerror = () => reject(new Error(`The strength meter could not load ${url}`))
    document.head.append(script)
  })
}

// zxcvbn's feedback, as sentences: the Python port ends them with a full stop, this one does not.
function sentence (text) {
  return text.trim().replace(/\.$/, '') + '.'
}

function verdictOf (password, settings, zxcvbn) {
  if (password.length < settings.min_length) {
    return {
      tag: 'Too short',
      colour: 'grey',
      words: `use at least ${settings.min_length} characters`,
      advice: []
    }
  }
  // The server scores password[:100] (Python counts characters; JavaScript counts UTF-16 units,
  // which differ only for characters outside the Basic Multilingual Plane, such as emoji).
  const result = zxcvbn(password.slice(0, settings.scored_length), settings.user_inputs)
  if (result.score < settings.min_score) {
    const advice = []
    if (result.feedback.warning) advice.push(sentence(result.feedback.warning))
    for (const suggestion of result.feedback.suggestions) advice.push(sentence(suggestion))
    if (advice.length === 0) advice.push('A few unrelated words together make a strong password.')
    return { tag: 'Weak', colour: 'red', words: 'easy to guess', advice }
  }
  if (result.score < 4) {
    return { tag: 'Good', colour: 'green', words: 'hard to guess', advice: [] }
  }
  return { tag: 'Strong', colour: 'green', words: 'very hard to guess', advice: [] }
}

function show (verdict) {
  const line = document.createElement('p')
  line.className = 'govuk-body govuk-!-margin-top-2 govuk-!-margin-bottom-1'
  const tag = document.createElement('strong')
  tag.className = `govuk-tag govuk-tag--${verdict.colour}`
  tag.textContent = verdict.tag
  // Read as "Weak: easy to guess"; seen as the tag, then the words.
  const colon = document.createElement('span')
  colon.className = 'govuk-visually-hidden'
  colon.textContent = ':'
  line.append(tag, colon, ` ${verdict.words}.`)
  const parts = [line]
  if (verdict.advice.length) {
    const list = document.createElement('ul')
    list.className = 'govuk-list govuk-list--bullet govuk-body-s'
    for (const text of verdict.advice) {
      const item = document.createElement('li')
      item.textContent = text
      list.append(item)
    }
    parts.push(list)
  }
  meter.replaceChildren(...parts)
}

if (meter && field) {
  const settings = JSON.parse(document.getElementById(meter.dataset.settings).textContent)
  // Beside the field, inside its form group, where GOV.UK puts what belongs to a field.
  field.closest('.govuk-form-group').append(meter)
  const described = (field.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean)
  field.setAttribute('aria-describedby', [...described, meter.id].join(' '))
  meter.hidden = false

  let timer = null
  let zxcvbn = null

  const update = () => {
    const password = field.value
    if (!password) {
      meter.replaceChildren()
      return
    }
    show(verdictOf(password, settings, zxcvbn))
  }

  field.addEventListener('input', () => {
    window.clearTimeout(timer)
    timer = window.setTimeout(() => {
      if (zxcvbn) {
        update()
        return
      }
      loadZxcvbn(meter.dataset.zxcvbn).then((loaded) => {
        zxcvbn = loaded
        update()
      }, () => {
        // No meter, then: the server's check still applies when the form is sent.
        meter.hidden = true
      })
    }, PAUSE_MS)
  })
}
