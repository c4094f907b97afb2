// PEFormat module.
