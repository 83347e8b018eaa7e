# Generated from spec/openapi-gen2.yaml by `scripts/regenerate` (openapi-python-client). Do not edit by hand:
# change the spec and run `scripts/regenerate`; `scripts/regenerate --check` runs in CI.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.compose_request_audio_format import ComposeRequestAudioFormat
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.sound_prompt import SoundPrompt


T = TypeVar("T", bound="ComposeRequest")


@_attrs_define
class ComposeRequest:
    """A song from your own lyrics and sound prompts.

    Attributes:
        sound_prompts (list[SoundPrompt]): The sound prompts, mixed by their strengths.
        lyrics (None | str | Unset): The words to sing, one line per phrase. Section tags such as `[Verse]` on a
            line of their own give structure and are not sung. Null gives an instrumental.
        lyrics_strength (float | Unset): How strongly the vocals come through, from 0 to 1 (as documented). Default:
            0.5.
        audio_format (ComposeRequestAudioFormat | Unset): Format of the returned audio; only m4a is made for now.
            Default: ComposeRequestAudioFormat.M4A.
        seed (int | None | Unset): Random seed for reproducible results; null gives a new song every call.
        moderate_inputs (bool | Unset): Run moderation checks on the inputs. Default: True.
        weirdness (float | Unset): How weird the audio gets, from 0 to 1 (as documented). Default: 0.5.
        model (str | Unset): The model to use; `GET /models` lists those available to the key. A free string
            since 0.4.2 (0.3 and 0.4.0 listed names in an enum). The default is the official
            client's code, "FUZZ-2.0"; its README writes "FUZZ 2.0", which is not what it sends.
             Default: 'FUZZ-2.0'.
    """

    sound_prompts: list[SoundPrompt]
    lyrics: None | str | Unset = UNSET
    lyrics_strength: float | Unset = 0.5
    audio_format: ComposeRequestAudioFormat | Unset = ComposeRequestAudioFormat.M4A
    seed: int | None | Unset = UNSET
    moderate_inputs: bool | Unset = True
    weirdness: float | Unset = 0.5
    model: str | Unset = "FUZZ-2.0"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        sound_prompts = []
        for sound_prompts_item_data in self.sound_prompts:
            sound_prompts_item = sound_prompts_item_data.to_dict()
            sound_prompts.append(sound_prompts_item)

        lyrics: None | str | Unset
        if isinstance(self.lyrics, Unset):
            lyrics = UNSET
        else:
            lyrics = self.lyrics

        lyrics_strength = self.lyrics_strength

        audio_format: str | Unset = UNSET
        if not isinstance(self.audio_format, Unset):
            audio_format = self.audio_format.value

        seed: int | None | Unset
        if isinstance(self.seed, Unset):
            seed = UNSET
        else:
            seed = self.seed

        moderate_inputs = self.moderate_inputs

        weirdness = self.weirdness

        model = self.model

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "sound_prompts": sound_prompts,
            }
        )
        if lyrics is not UNSET:
            field_dict["lyrics"] = lyrics
        if lyrics_strength is not UNSET:
            field_dict["lyrics_strength"] = lyrics_strength
        if audio_format is not UNSET:
            field_dict["audio_format"] = audio_format
        if seed is not UNSET:
            field_dict["seed"] = seed
        if moderate_inputs is not UNSET:
            field_dict["moderate_inputs"] = moderate_inputs
        if weirdness is not UNSET:
            field_dict["weirdness"] = weirdness
        if model is not UNSET:
            field_dict["model"] = model

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sound_prompt import SoundPrompt  # noqa: PLC0415

        d = dict(src_dict)
        sound_prompts = []
        _sound_prompts = d.pop("sound_prompts")
        for sound_prompts_item_data in _sound_prompts:
            sound_prompts_item = SoundPrompt.from_dict(sound_prompts_item_data)

            sound_prompts.append(sound_prompts_item)

        def _parse_lyrics(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        lyrics = _parse_lyrics(d.pop("lyrics", UNSET))

        lyrics_strength = d.pop("lyrics_strength", UNSET)

        _audio_format = d.pop("audio_format", UNSET)
        audio_format: ComposeRequestAudioFormat | Unset
        if isinstance(_audio_format, Unset):
            audio_format = UNSET
        else:
            audio_format = ComposeRequestAudioFormat(_audio_format)

        def _parse_seed(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        seed = _parse_seed(d.pop("seed", UNSET))

        moderate_inputs = d.pop("moderate_inputs", UNSET)

        weirdness = d.pop("weirdness", UNSET)

        model = d.pop("model", UNSET)

        compose_request = cls(
            sound_prompts=sound_prompts,
            lyrics=lyrics,
            lyrics_strength=lyrics_strength,
            audio_format=audio_format,
            seed=seed,
            moderate_inputs=moderate_inputs,
            weirdness=weirdness,
            model=model,
        )

        compose_request.additional_properties = d
        return compose_request

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
