# Generated from spec/openapi.yaml by `scripts/regenerate` (openapi-python-client). Do not edit by hand:
# change the spec and run `scripts/regenerate`; `scripts/regenerate --check` runs in CI.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Prompt")


@_attrs_define
class Prompt:
    """One description of the sound, with its strength and the time range it applies to.

    Attributes:
        text (str): What the music should sound like, e.g. "chillstep pop" or "orchestral cellos".
        strength (float | Unset): How strongly the prompt shapes the sound: 1 is subtle, 12 the most. The official
            schema sets no bounds, and its sources disagree on the range: its docs say 1 to
            12, its demo offers -3 to 12. The wider range is the one kept here, so nothing the
            official demo sends is refused, while a typo such as 40 for 4 is caught before
            sending.
             Default: 4.0.
        start_s (float | Unset): When the prompt starts to take effect, in seconds from the start of the song. Default:
            0.0.
        end_s (float | Unset): When the prompt stops taking effect, in seconds from the start of the song. Default:
            30.0.
    """

    text: str
    strength: float | Unset = 4.0
    start_s: float | Unset = 0.0
    end_s: float | Unset = 30.0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        text = self.text

        strength = self.strength

        start_s = self.start_s

        end_s = self.end_s

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "text": text,
            }
        )
        if strength is not UNSET:
            field_dict["strength"] = strength
        if start_s is not UNSET:
            field_dict["start_s"] = start_s
        if end_s is not UNSET:
            field_dict["end_s"] = end_s

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        text = d.pop("text")

        strength = d.pop("strength", UNSET)

        start_s = d.pop("start_s", UNSET)

        end_s = d.pop("end_s", UNSET)

        prompt = cls(
            text=text,
            strength=strength,
            start_s=start_s,
            end_s=end_s,
        )

        prompt.additional_properties = d
        return prompt

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
