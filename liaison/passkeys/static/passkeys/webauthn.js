/* Security keys and passkeys: runs the WebAuthn ceremony of a form marked data-webauthn="create" or "get".
   The options come from the server in a JSON data block; the key's answer is put, as JSON with base64url fields,
   in the form's hidden "credential" field and the form is posted. No framework, nothing loaded from elsewhere. */
(function () {
  "use strict";

  function toBytes(value) {
    var base64 = value.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) {
      base64 += "=";
    }
    var text = atob(base64);
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i += 1) {
      bytes[i] = text.charCodeAt(i);
    }
    return bytes.buffer;
  }

  function toBase64url(buffer) {
    if (!buffer) {
      return null;
    }
    var bytes = new Uint8Array(buffer);
    var text = "";
    for (var i = 0; i < bytes.length; i += 1) {
      text += String.fromCharCode(bytes[i]);
    }
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map(function (item) {
      return Object.assign({}, item, { id: toBytes(item.id) });
    });
  }

  function creationOptions(options) {
    return Object.assign({}, options, {
      challenge: toBytes(options.challenge),
      user: Object.assign({}, options.user, { id: toBytes(options.user.id) }),
      excludeCredentials: descriptors(options.excludeCredentials)
    });
  }

  function requestOptions(options) {
    return Object.assign({}, options, {
      challenge: toBytes(options.challenge),
      allowCredentials: descriptors(options.allowCredentials)
    });
  }

  function common(credential) {
    return {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || null,
      clientExtensionResults: credential.getClientExtensionResults ? credential.getClientExtensionResults() : {}
    };
  }

  function registrationJSON(credential) {
    var response = credential.response;
    return Object.assign(common(credential), {
      response: {
        clientDataJSON: toBase64url(response.clientDataJSON),
        attestationObject: toBase64url(response.attestationObject),
        transports: response.getTransports ? response.getTransports() : []
      }
    });
  }

  function assertionJSON(credential) {
    var response = credential.response;
    return Object.assign(common(credential), {
      response: {
        clientDataJSON: toBase64url(response.clientDataJSON),
        authenticatorData: toBase64url(response.authenticatorData),
        signature: toBase64url(response.signature),
        userHandle: toBase64url(response.userHandle)
      }
    });
  }

  function setUp(form) {
    var mode = form.getAttribute("data-webauthn");
    var source = document.getElementById(form.getAttribute("data-options"));
    var status = document.querySelector("[data-webauthn-status]");
    var field = form.querySelector("input[name=credential]");
    if (!source || !field) {
      return;
    }
    var options = JSON.parse(source.textContent);

    function say(name) {
      if (status) {
        status.textContent = form.getAttribute("data-msg-" + name) || "";
      }
    }

    form.addEventListener("submit", function (event) {
      if (field.value) {
        return; // the key has answered: post the form
      }
      event.preventDefault();
      if (!window.PublicKeyCredential || !navigator.credentials) {
        say("unsupported");
        return;
      }
      say("touch");
      var ceremony = mode === "create"
        ? navigator.credentials.create({ publicKey: creationOptions(options) })
        : navigator.credentials.get({ publicKey: requestOptions(options) });
      ceremony.then(function (credential) {
        field.value = JSON.stringify(mode === "create" ? registrationJSON(credential) : assertionJSON(credential));
        if (form.requestSubmit) {
          form.requestSubmit();
        } else {
          form.submit();
        }
      }).catch(function (error) {
        say(error && error.name === "NotAllowedError" ? "cancelled" : "failed");
      });
    });
  }

  document.querySelectorAll("form[data-webauthn]").forEach(setUp);
})();
