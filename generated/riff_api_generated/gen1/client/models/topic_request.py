# Generated from spec/openapi.yaml by `scripts/regenerate` (openapi-python-client). Do not edit by hand:
# change the spec and run `scripts/regenerate`; `scripts/regenerate --check` runs in CI.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.topic_request_audio_format import TopicRequestAudioFormat
from ..types import UNSET, Unset

T = TypeVar("T", bound="TopicRequest")


@_attrs_define
class TopicRequest:
    """A song described in one sentence.

    Attributes:
        topic (str): What the song is about and how it should sound, in one sentence.
        audio_format (TopicRequestAudioFormat | Unset): Format of the returned audio. The official schema types this
            field as a free
            string, but the service produces only wav, m4a and mp3 (the values its
            RiffRequest allows), so any other value could only fail later. We restrict it
            to those three so that a wrong format is rejected up front: by the client
            before sending, and by the emulator with a 422.
             Default: TopicRequestAudioFormat.WAV.
    """

    topic: str
    audio_format: TopicRequestAudioFormat | Unset = TopicRequestAudioFormat.WAV
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        topic = self.topic

        audio_format: str | Unset = UNSET
        if not isinstance(self.audio_format, Unset):
            audio_format = self.audio_format.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "topic": topic,
            }
        )
        if audio_format is not UNSET:
            field_dict["audio_format"] = audio_format

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        topic = d.pop("topic")

        _audio_format = d.pop("audio_format", UNSET)
        audio_format: TopicRequestAudioFormat | Unset
        if isinstance(_audio_format, Unset):
            audio_format = UNSET
        else:
            audio_format = TopicRequestAudioFormat(_audio_format)

        topic_request = cls(
            topic=topic,
            audio_format=audio_format,
        )

        topic_request.additional_properties = d
        return topic_request

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
