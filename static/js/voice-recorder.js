/*
 * A voice note recorded in the page, for phones whose file picker cannot record one (an
 * iPhone's offers only the files it already has).
 *
 * Load as a module on a consultation's question page:
 *   <script type="module" src="{% static 'js/voice-recorder.js' %}"></script>
 *
 * An enhancement only: without this script, or in a browser without a microphone recorder,
 * the file input does everything. With it, a "Record my answer" button comes before the file
 * input. "Stop recording" ends it; the recording is put into the file input, so the form sends
 * it as if it had been chosen, and a player lets them listen to it first. What happens is said
 * in a status message, read out by screen readers.
 */

const LONGEST_MS = 5 * 60 * 1000 // a few minutes, as the hint says

const EXTENSIONS = { 'audio/webm': 'webm', 'audio/ogg': 'ogg', 'audio/mp4': 'm4a', 'audio/aac': 'aac' }

function voiceRecorder (input) {
  const limit = Number(input.dataset.maxBytes || 0)
  const box = document.createElement('div')
  box.className = 'app-voice-recorder govuk-!-margin-bottom-6'
  const button = document.createElement('button')
  button.type = 'button'
  button.className = 'govuk-button govuk-button--secondary govuk-!-margin-bottom-2'
  button.textContent = 'Record my answer'
  const status = document.createElement('p')
  status.className = 'govuk-body'
  status.setAttribute('role', 'status')
  const player = document.createElement('audio')
  player.controls = true
  player.hidden = true
  player.setAttribute('aria-label', 'Your recording')
  box.append(button, status, player)
  input.closest('.govuk-form-group').before(box)

  let recorder = null
  let stopper = null

  function say (words) {
    status.textContent = words
  }

  async function start () {
    let stream
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true })
    } catch (refused) {
      say('Your phone did not let us use its microphone. You can choose a recording you have made instead.')
      return
    }
    const pieces = []
    recorder = new window.MediaRecorder(stream)
    recorder.addEventListener('dataavailable', (event) => {
      if (event.data.size) pieces.push(event.data)
    })
    recorder.addEventListener('stop', () => {
      stream.getTracks().forEach((track) => track.stop())
      window.clearTimeout(stopper)
      recorder = null
      button.textContent = 'Record again'
      const type = (pieces[0] && pieces[0].type.split(';')[0]) || 'audio/webm'
      const sound = new window.Blob(pieces, { type })
      if (!sound.size) {
        say('Nothing was recorded. Try again, a little closer to your phone.')
        return
      }
      if (limit && sound.size > limit) {
        input.value = ''
        player.hidden = true
        say('That recording is too long to send. Record a shorter one.')
        return
      }
      const file = new window.File([sound], `voice-note.${EXTENSIONS[type] || 'webm'}`, { type })
      const chosen = new window.DataTransfer()
      chosen.items.add(file)
      input.files = chosen.files
      if (player.src) URL.revokeObjectURL(player.src)
      player.src = URL.createObjectURL(sound)
      player.hidden = false
      say('Your recording is ready. Listen to it if you like, then press Save and continue to send it.')
    })
    recorder.start()
    stopper = window.setTimeout(() => recorder && recorder.stop(), LONGEST_MS)
    button.textContent = 'Stop recording'
    say('Recording. Say your answer, then press Stop recording.')
  }

  button.addEventListener('click', () => {
    if (recorder) {
      recorder.stop()
    } else {
      start()
    }
  })
}

const recordable =
  window.MediaRecorder && navigator.mediaDevices && navigator.mediaDevices.getUserMedia && window.DataTransfer
if (recordable) {
  for (const input of document.querySelectorAll('input[type="file"][name="voice_note"]')) {
    voiceRecorder(input)
  }
}
