"""The analysts' workbench: server-rendered pages over the same services as the API.

Mounted by the API's `create_app()` at `/workbench`. Each page parses its form, calls the
same service function the API calls (policy, purpose and audit live there, never here), and
renders the typed view it gets back.
"""

from ftfhub.workbench.app import mount, workbench_app

__all__ = ["mount", "workbench_app"]
