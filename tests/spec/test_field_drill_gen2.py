"""The field drill on the second generation: a field added to ``ComposeRequest`` reaches every
front door of ``/compose`` by regenerating alone.

As ``test_field_drill`` does for ``RiffRequest``: in a copy of the project one optional field
is added to ``ComposeRequest`` in ``spec/openapi-gen2.yaml`` and ``scripts/regenerate`` is run,
nothing else. Then, in a fresh interpreter on that copy, the field goes on the wire from
``Riffusion.compose``, ``AsyncRiffusion.compose``, ``riff compose --tempo-bpm``, a
``"operation": "compose"`` line of ``riff batch`` and ``riff compose --local`` (the emulator,
which also refuses a wrong value for it); mypy accepts the new keyword and refuses a wrong type.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.spec.drill import FIELD, drill

CHILD = textwrap.dedent(
    """
    API = "https://api.drill.test/api/v1"

    def answer(request):
        body = json.loads(request.content)
        sent.append(body)
        return httpx.Response(200, json={
            "id": "drill", "audio_b64": base64.b64encode(b"not really m4a").decode(),
            "audio_format": "m4a", "title": "Drill", "lyrics": None,
            "timestamped_lyrics": None, "sound_prompts": body["sound_prompts"],
        })

    mock = httpx.MockTransport(answer)
    http = httpx.Client(transport=mock)
    client = riff_api.Riffusion(api_key="k", api_url=API, http_client=http)
    client.compose(["lo-fi"], tempo_bpm=90)
    record("Riffusion.compose")

    async def run_async():
        async with httpx.AsyncClient(transport=mock) as http:
            async with riff_api.AsyncRiffusion(api_key="k", api_url=API, http_client=http) as c:
                await c.compose(["lo-fi"], tempo_bpm=91)
    asyncio.run(run_async())
    record("AsyncRiffusion.compose")

    riff = cli({"RIFFUSION_API_URL": API}, mock)
    riff("compose", "--sound-prompt", "lo-fi", "--tempo-bpm", "92", "-o", "a.m4a")
    record("riff compose --tempo-bpm")
    (Path(sys.argv[1]) / "jobs.jsonl").write_text(
        '{"operation": "compose", "sound_prompts": ["lo-fi"], "tempo_bpm": 93}\\n'
    )
    riff("batch", "jobs.jsonl", "--out-dir", "songs")
    record("riff batch")

    spy_on_the_emulator()
    riff("compose", "--local", "--sound-prompt", "lo-fi", "--tempo-bpm", "94", "-o", "b.m4a")
    record("riff compose --local")

    seen["emulator refuses"] = refused_by_the_emulator(
        "/api/v1/compose", {"sound_prompts": [{"text": "x"}], "tempo_bpm": "fast"}
    )
    print(json.dumps(seen))
    """
)

TYPED = textwrap.dedent(
    """
    import riff_api

    def make(client: riff_api.Riffusion) -> None:
        client.compose(["lo-fi"], tempo_bpm=90)
        client.compose(["lo-fi"], tempo_bpm="fast")
    """
)


@pytest.mark.slow
def test_a_new_compose_field_reaches_every_front_door(tmp_path: Path) -> None:
    seen = drill(tmp_path, "openapi-gen2.yaml", "ComposeRequest", CHILD, TYPED)
    assert seen == {
        "Riffusion.compose": 90,
        "AsyncRiffusion.compose": 91,
        "riff compose --tempo-bpm": 92,
        "riff batch": 93,
        "emulator status": 200,
        "riff compose --local": 94,
        "emulator refuses": [422, [["body", FIELD]]],
    }
