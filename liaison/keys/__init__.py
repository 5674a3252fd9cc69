"""The instance's keys behind one signer interface: Ed25519 for detached signatures (reports, exports, audit
checkpoints), an ECDSA P-256 certificate for PDF signatures, and the master key that wraps per-object data keys.

Two backends, chosen by LIAISON_KEY_BACKEND: files (`store.py`, the default) or a PKCS#11 token in a hardware
security module (`hsm.py`, keys created by `ceremony.py`). Callers do not know which: they only use `get_signer()`,
`pdf_signer()` and `get_key_wrapper()` from `store.py`.
"""
