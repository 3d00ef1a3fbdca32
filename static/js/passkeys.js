/*
 * Your sign-in security: once django-otp-webauthn's script has added a passkey, open the page
 * again with the naming form for it, so that its holder names it straight away (the list and
 * the form then work without JavaScript, as the rest of the page does).
 */
const adding = document.getElementById('passkey-adding')

if (adding) {
  document.addEventListener('otp_webauthn.register_complete', (event) => {
    const id = event.detail && event.detail.id
    if (!id) return
    const next = new URL(adding.dataset.afterAdding, window.location.origin)
    next.searchParams.set('passkey', id)
    next.hash = 'passkey-name'
    window.location.assign(next.toString())
  })
}
