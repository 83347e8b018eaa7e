# Generated from spec/openapi.yaml by `scripts/regenerate` (openapi-python-client). Do not edit by hand:
# change the spec and run `scripts/regenerate`; `scripts/regenerate --check` runs in CI.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.prompt import Prompt
    from ..models.timestamped_word import TimestampedWord


T = TypeVar("T", bound="RiffResponse")


@_attrs_define
class RiffResponse:
    """The song. Every key is always present.

    Attributes:
        id (str): UUID of this output.
        audio_b64 (str): The audio file, in the requested format, encoded as base64.
        lyrics (None | str): The lyrics of the song; null for an instrumental.
        timestamped_lyrics (list[TimestampedWord] | None): Every sung word in order, with its start time; null for an
            instrumental.
        prompts (list[Prompt]): The sound prompts the song was made with.
    """

    id: str
    audio_b64: str
    lyrics: None | str
    timestamped_lyrics: list[TimestampedWord] | None
    prompts: list[Prompt]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        audio_b64 = self.audio_b64

        lyrics: None | str
        lyrics = self.lyrics

        timestamped_lyrics: list[dict[str, Any]] | None
        if isinstance(self.timestamped_lyrics, list):
            timestamped_lyrics = []
            for timestamped_lyrics_type_0_item_data in self.timestamped_lyrics:
                timestamped_lyrics_type_0_item = timestamped_lyrics_type_0_item_data.to_dict()
                timestamped_lyrics.append(timestamped_lyrics_type_0_item)

        else:
            timestamped_lyrics = self.timestamped_lyrics

        prompts = []
        for prompts_item_data in self.prompts:
            prompts_item = prompts_item_data.to_dict()
            prompts.append(prompts_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "audio_b64": audio_b64,
                "lyrics": lyrics,
                "timestamped_lyrics": timestamped_lyrics,
                "prompts": prompts,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.prompt import Prompt  # noqa: PLC0415
        from ..models.timestamped_word import TimestampedWord  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        audio_b64 = d.pop("audio_b64")

        def _parse_lyrics(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        lyrics = _parse_lyrics(d.pop("lyrics"))

        def _parse_timestamped_lyrics(data: object) -> list[TimestampedWord] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                timestamped_lyrics_type_0 = []
                _timestamped_lyrics_type_0 = data
                for timestamped_lyrics_type_0_item_data in _timestamped_lyrics_type_0:
                    timestamped_lyrics_type_0_item = TimestampedWord.from_dict(
                        timestamped_lyrics_type_0_item_data
                    )

                    timestamped_lyrics_type_0.append(timestamped_lyrics_type_0_item)

                return timestamped_lyrics_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[TimestampedWord] | None, data)

        timestamped_lyrics = _parse_timestamped_lyrics(d.pop("timestamped_lyrics"))

        prompts = []
        _prompts = d.pop("prompts")
        for prompts_item_data in _prompts:
            prompts_item = Prompt.from_dict(prompts_item_data)

            prompts.append(prompts_item)

        riff_response = cls(
            id=id,
            audio_b64=audio_b64,
            lyrics=lyrics,
            timestamped_lyrics=timestamped_lyrics,
            prompts=prompts,
        )

        riff_response.additional_properties = d
        return riff_response

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
