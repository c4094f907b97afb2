// Unwind module.
