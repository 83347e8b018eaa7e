"""The drill of the project's promise: a field added to the spec reaches every front door.

In a copy of the project, one optional field is added to ``RiffRequest`` in
``spec/openapi.yaml`` and ``scripts/regenerate`` is run; nothing else is touched. Then, in a
fresh interpreter on that copy, the field is sent on the wire by ``Riffusion.riff``,
``AsyncRiffusion.riff``, ``create_from_request``, ``riff riff --tempo-bpm``, a job line of
``riff batch`` and ``riff riff --local`` (the emulator, which also refuses a wrong value
for it); and mypy, on the copy, accepts the new keyword argument and refuses a wrong type.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.spec.drill import FIELD, drill

CHILD = textwrap.dedent(
    """
    from riff_api import _module_api

    BASE = "https://api.drill.test/v1"

    def answer(request):
        body = json.loads(request.content)
        sent.append(body)
        wav = "UklGRiQAAABXQVZFZm10IBAAAAABAAIARKwAABCxAgAEABAAZGF0YQAAAAA="
        return httpx.Response(200, json={
            "id": "drill", "audio_b64": wav, "lyrics": None, "timestamped_lyrics": None,
            "prompts": body["prompts"],
        })

    mock = httpx.MockTransport(answer)
    http = httpx.Client(transport=mock)
    client = riff_api.Riffusion(api_key="k", base_url=BASE, http_client=http)
    client.riff(["lo-fi"], tempo_bpm=120)
    record("Riffusion.riff")

    async def run_async():
        async with httpx.AsyncClient(transport=mock) as http:
            async with riff_api.AsyncRiffusion(api_key="k", base_url=BASE, http_client=http) as c:
                await c.riff(["lo-fi"], tempo_bpm=121)
    asyncio.run(run_async())
    record("AsyncRiffusion.riff")

    _module_api.use_default_client(client)
    request = riff_api.RiffRequest(prompts=[riff_api.Prompt(text="lo-fi")], tempo_bpm=122)
    riff_api.create_from_request(request, api_key="k")
    record("create_from_request")

    riff = cli({"RIFFUSION_BACKEND_URL": BASE}, mock)
    riff("riff", "--prompt", "lo-fi", "--tempo-bpm", "123", "-o", "a.wav")
    record("riff riff --tempo-bpm")
    (Path(sys.argv[1]) / "jobs.jsonl").write_text('{"prompts": ["lo-fi"], "tempo_bpm": 124}\\n')
    riff("batch", "jobs.jsonl", "--out-dir", "songs")
    record("riff batch")

    spy_on_the_emulator()
    riff("riff", "--local", "--prompt", "lo-fi", "--tempo-bpm", "125", "-o", "b.wav")
    record("riff riff --local")

    seen["emulator refuses"] = refused_by_the_emulator(
        "/v1/riff", {"prompts": [{"text": "x"}], "tempo_bpm": "fast"}
    )
    print(json.dumps(seen))
    """
)

TYPED = textwrap.dedent(
    """
    import riff_api

    def make(client: riff_api.Riffusion) -> None:
        client.riff(["lo-fi"], tempo_bpm=120)
        client.riff(["lo-fi"], tempo_bpm="fast")
    """
)


@pytest.mark.slow
def test_a_new_spec_field_reaches_every_front_door(tmp_path: Path) -> None:
    seen = drill(tmp_path, "openapi.yaml", "RiffRequest", CHILD, TYPED)
    assert seen == {
        "Riffusion.riff": 120,
        "AsyncRiffusion.riff": 121,
        "create_from_request": 122,
        "riff riff --tempo-bpm": 123,
        "riff batch": 124,
        "emulator status": 200,
        "riff riff --local": 125,
        "emulator refuses": [422, [["body", FIELD]]],
    }
