"""The contract suite: proves that a backend answers exactly as the spec documents say.

Both documents, with the same rigour: ``spec/openapi.yaml`` (the first generation, below
``/v1``) and ``spec/openapi-gen2.yaml`` (the second, below ``/api/v1``). Run it the way a
user's CI would, against any backend::

    scripts/contract                                   # the emulator, in-process and over a socket
    scripts/contract --url https://wb.riffusion.com/api/v1   # a real service (RIFFUSION_API_KEY)
    scripts/contract --profile deep                    # >= 1,000 generated cases per operation

Three kinds of evidence, each from a different tool, so that no single one can hide a bug:

* schemathesis (pinned) generates requests from the spec (its examples, boundary and
  negative "coverage" cases, and property-based fuzzing) and checks every answer with every
  applicable built-in check (``_runner.py``);
* Prism, an independent OpenAPI implementation, validates the requests our clients send (as a
  mock) and the answers the emulator gives (as a proxy) (``_prism.py``);
* each document itself is linted: valid OpenAPI 3.1, and every example fits its schema.

The suite also proves it can fail: ``test_suite_catches_drift.py`` runs it against
deliberately broken emulators and asserts the right checks report them.
"""
