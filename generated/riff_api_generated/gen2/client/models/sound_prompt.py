# Generated from spec/openapi-gen2.yaml by `scripts/regenerate` (openapi-python-client). Do not edit by hand:
# change the spec and run `scripts/regenerate`; `scripts/regenerate --check` runs in CI.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SoundPrompt")


@_attrs_define
class SoundPrompt:
    """One description of the sound and how strongly it shapes the song.

    Attributes:
        text (str): What the music should sound like, e.g. "lo-fi piano" or "female vocals".
        strength (float | Unset): How strongly the prompt shapes the sound, from -1 to 1. The official client's
            sources disagree: its field says [0, 1], its class docstring [-1, 1]. Neither is
            enforced there; the wider range is the one kept here, so nothing the service may
            accept is refused, while a typo such as 5 for 0.5 is caught before sending.
             Default: 0.5.
    """

    text: str
    strength: float | Unset = 0.5
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        text = self.text

        strength = self.strength

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "text": text,
            }
        )
        if strength is not UNSET:
            field_dict["strength"] = strength

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        text = d.pop("text")

        strength = d.pop("strength", UNSET)

        sound_prompt = cls(
            text=text,
            strength=strength,
        )

        sound_prompt.additional_properties = d
        return sound_prompt

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
