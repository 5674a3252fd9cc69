"""What the API reads and writes: `output` shows protected objects with their markings as a read-only nested
object; `inputs` parses what clients send, markings included, and resolves references to protected objects
through the selectors, so an id the caller may not see is refused with the words used for an id that does not
exist."""
