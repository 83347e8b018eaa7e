# Generated from spec/openapi-gen2.yaml by `scripts/regenerate` (openapi-python-client). Do not edit by hand:
# change the spec and run `scripts/regenerate`; `scripts/regenerate --check` runs in CI.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.prompt_response_audio_format import PromptResponseAudioFormat
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.timestamped_word import TimestampedWord


T = TypeVar("T", bound="PromptResponse")


@_attrs_define
class PromptResponse:
    """The song made from a prompt.

    Attributes:
        id (str): UUID of the song.
        sound_prompt (str): The sound prompt that was used.
        audio_format (PromptResponseAudioFormat): Format of the audio; only m4a is made for now.
        audio_b64 (str): The audio file, in `audio_format`, encoded as base64.
        title (str): The song's title.
        lyrics (None | str | Unset): The lyrics of the song; null for an instrumental.
        timestamped_lyrics (list[TimestampedWord] | None | Unset): Every sung word in order, with its start time; null
            for an instrumental.
    """

    id: str
    sound_prompt: str
    audio_format: PromptResponseAudioFormat
    audio_b64: str
    title: str
    lyrics: None | str | Unset = UNSET
    timestamped_lyrics: list[TimestampedWord] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        sound_prompt = self.sound_prompt

        audio_format = self.audio_format.value

        audio_b64 = self.audio_b64

        title = self.title

        lyrics: None | str | Unset
        if isinstance(self.lyrics, Unset):
            lyrics = UNSET
        else:
            lyrics = self.lyrics

        timestamped_lyrics: list[dict[str, Any]] | None | Unset
        if isinstance(self.timestamped_lyrics, Unset):
            timestamped_lyrics = UNSET
        elif isinstance(self.timestamped_lyrics, list):
            timestamped_lyrics = []
            for timestamped_lyrics_type_0_item_data in self.timestamped_lyrics:
                timestamped_lyrics_type_0_item = timestamped_lyrics_type_0_item_data.to_dict()
                timestamped_lyrics.append(timestamped_lyrics_type_0_item)

        else:
            timestamped_lyrics = self.timestamped_lyrics

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "sound_prompt": sound_prompt,
                "audio_format": audio_format,
                "audio_b64": audio_b64,
                "title": title,
            }
        )
        if lyrics is not UNSET:
            field_dict["lyrics"] = lyrics
        if timestamped_lyrics is not UNSET:
            field_dict["timestamped_lyrics"] = timestamped_lyrics

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.timestamped_word import TimestampedWord  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        sound_prompt = d.pop("sound_prompt")

        audio_format = PromptResponseAudioFormat(d.pop("audio_format"))

        audio_b64 = d.pop("audio_b64")

        title = d.pop("title")

        def _parse_lyrics(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        lyrics = _parse_lyrics(d.pop("lyrics", UNSET))

        def _parse_timestamped_lyrics(data: object) -> list[TimestampedWord] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
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
            return cast(list[TimestampedWord] | None | Unset, data)

        timestamped_lyrics = _parse_timestamped_lyrics(d.pop("timestamped_lyrics", UNSET))

        prompt_response = cls(
            id=id,
            sound_prompt=sound_prompt,
            audio_format=audio_format,
            audio_b64=audio_b64,
            title=title,
            lyrics=lyrics,
            timestamped_lyrics=timestamped_lyrics,
        )

        prompt_response.additional_properties = d
        return prompt_response

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
