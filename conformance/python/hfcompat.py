"""Makes the official client, run from source, work on Debian 12's Python packages: filelock 3.9 has no `mode`
argument, which the client (asking for 3.10) passes. Import this before huggingface_hub."""
import filelock

_FileLock = filelock.FileLock


class _CompatibleFileLock(_FileLock):
    def __init__(self, *args, mode=None, **kwargs):
        super().__init__(*args, **kwargs)


filelock.FileLock = _CompatibleFileLock
