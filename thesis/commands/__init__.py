"""One orchestrator per command: the only code that reads inputs and writes outputs."""
