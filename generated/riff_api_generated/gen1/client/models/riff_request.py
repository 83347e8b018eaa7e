# Generated from spec/openapi.yaml by `scripts/regenerate` (openapi-python-client). Do not edit by hand:
# change the spec and run `scripts/regenerate`; `scripts/regenerate --check` runs in CI.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.riff_request_audio_format import RiffRequestAudioFormat
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.prompt import Prompt


T = TypeVar("T", bound="RiffRequest")


@_attrs_define
class RiffRequest:
    """A song from your own lyrics and sound prompts.

    Attributes:
        prompts (list[Prompt]): The sound prompts. Overlapping time ranges make transitions.
        lyrics (None | str | Unset): The words to sing, one line per phrase. Section tags such as `[Verse]` on a
            line of their own give structure and are not sung. Null gives an instrumental.
        seed (int | None | Unset): Fixes the song's structure; null gives a new song on every call.
        audio_format (RiffRequestAudioFormat | Unset): Format of the returned audio. Default:
            RiffRequestAudioFormat.WAV.
        moderate_inputs (bool | Unset): Run moderation checks on the prompts and the lyrics. Default: True.
    """

    prompts: list[Prompt]
    lyrics: None | str | Unset = UNSET
    seed: int | None | Unset = UNSET
    audio_format: RiffRequestAudioFormat | Unset = RiffRequestAudioFormat.WAV
    moderate_inputs: bool | Unset = True
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        prompts = []
        for prompts_item_data in self.prompts:
            prompts_item = prompts_item_data.to_dict()
            prompts.append(prompts_item)

        lyrics: None | str | Unset
        if isinstance(self.lyrics, Unset):
            lyrics = UNSET
        else:
            lyrics = self.lyrics

        seed: int | None | Unset
        if isinstance(self.seed, Unset):
            seed = UNSET
        else:
            seed = self.seed

        audio_format: str | Unset = UNSET
        if not isinstance(self.audio_format, Unset):
            audio_format = self.audio_format.value

        moderate_inputs = self.moderate_inputs

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "prompts": prompts,
            }
        )
        if lyrics is not UNSET:
            field_dict["lyrics"] = lyrics
        if seed is not UNSET:
            field_dict["seed"] = seed
        if audio_format is not UNSET:
            field_dict["audio_format"] = audio_format
        if moderate_inputs is not UNSET:
            field_dict["moderate_inputs"] = moderate_inputs

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.prompt import Prompt  # noqa: PLC0415

        d = dict(src_dict)
        prompts = []
        _prompts = d.pop("prompts")
        for prompts_item_data in _prompts:
            prompts_item = Prompt.from_dict(prompts_item_data)

            prompts.append(prompts_item)

        def _parse_lyrics(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        lyrics = _parse_lyrics(d.pop("lyrics", UNSET))

        def _parse_seed(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        seed = _parse_seed(d.pop("seed", UNSET))

        _audio_format = d.pop("audio_format", UNSET)
        audio_format: RiffRequestAudioFormat | Unset
        if isinstance(_audio_format, Unset):
            audio_format = UNSET
        else:
            audio_format = RiffRequestAudioFormat(_audio_format)

        moderate_inputs = d.pop("moderate_inputs", UNSET)

        riff_request = cls(
            prompts=prompts,
            lyrics=lyrics,
            seed=seed,
            audio_format=audio_format,
            moderate_inputs=moderate_inputs,
        )

        riff_request.additional_properties = d
        return riff_request

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
