"""A MikroTik RouterOS API emulator used as a test peer for the real ``librouteros`` client."""
