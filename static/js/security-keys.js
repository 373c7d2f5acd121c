// Security keys and passkeys (WebAuthn): a button with data-begin (the URL that gives the options) and
// data-finish (the URL that checks the browser's answer) asks the browser, sends its answer, and goes on to the
// page the server names. Errors are said in the element named by data-status. Without JavaScript, or in a
// browser without WebAuthn, the buttons stay hidden and the other factors remain.
(() => {
  const decode = (text) => {
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const bytes = atob(base64 + "===".slice((base64.length + 3) % 4));
    return Uint8Array.from(bytes, (c) => c.charCodeAt(0)).buffer;
  };
  const encode = (buffer) =>
    btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

  const csrf = () => (document.cookie.match(/(?:^|; )csrftoken=([^;]*)/) || [])[1] || "";
  const post = async (url, body) => {
    const answer = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": decodeURIComponent(csrf()) },
      body: JSON.stringify(body || {}),
      credentials: "same-origin",
    });
    const data = await answer.json().catch(() => ({}));
    if (!answer.ok) throw new Error(data.error || answer.statusText);
    return data;
  };

  // The options of the server (fido2's JSON form), with their binary fields as ArrayBuffers.
  const forCreate = ({ publicKey }) => ({
    ...publicKey,
    challenge: decode(publicKey.challenge),
    user: { ...publicKey.user, id: decode(publicKey.user.id) },
    excludeCredentials: (publicKey.excludeCredentials || []).map((c) => ({ ...c, id: decode(c.id) })),
  });
  const forGet = ({ publicKey }) => ({
    ...publicKey,
    challenge: decode(publicKey.challenge),
    allowCredentials: (publicKey.allowCredentials || []).map((c) => ({ ...c, id: decode(c.id) })),
  });

  // The browser's answer, with its binary fields in base64url.
  const answerOf = (credential) => {
    const response = {};
    for (const field of ["clientDataJSON", "attestationObject", "authenticatorData", "signature", "userHandle"]) {
      if (credential.response[field]) response[field] = encode(credential.response[field]);
    }
    return { id: credential.id, rawId: encode(credential.rawId), type: credential.type, response };
  };

  const run = async (button) => {
    const status = document.getElementById(button.dataset.status);
    const nameField = button.dataset.name ? document.getElementById(button.dataset.name) : null;
    status.textContent = button.dataset.waiting || "";
    button.disabled = true;
    try {
      const options = await post(button.dataset.begin);
      const credential =
        button.dataset.kind === "register"
          ? await navigator.credentials.create({ publicKey: forCreate(options) })
          : await navigator.credentials.get({ publicKey: forGet(options) });
      const done = await post(button.dataset.finish, {
        credential: answerOf(credential),
        name: nameField ? nameField.value : "",
      });
      window.location.assign(done.next);
    } catch (error) {
      status.textContent =
        error.name === "NotAllowedError" ? button.dataset.cancelled : error.message || button.dataset.cancelled;
      button.disabled = false;
    }
  };

  document.addEventListener("DOMContentLoaded", () => {
    if (!window.PublicKeyCredential) return;
    for (const block of document.querySelectorAll(".security-key")) block.hidden = false;
    for (const button of document.querySelectorAll("button[data-begin]")) {
      button.addEventListener("click", () => run(button));
    }
  });
})();
