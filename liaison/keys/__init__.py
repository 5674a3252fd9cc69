"""The instance's keys behind one signer interface: Ed25519 for detached signatures (reports, exports, audit
checkpoints), an ECDSA P-256 certificate for PDF signatures, and the master key that wraps per-object data keys.

Production can replace the file-backed implementations with PKCS#11 ones (an HSM) without touching callers: they
only use `get_signer()`, `get_pdf_signing_material()` and `get_key_wrapper()`.
"""
