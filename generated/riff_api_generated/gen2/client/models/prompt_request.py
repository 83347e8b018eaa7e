# Generated from spec/openapi-gen2.yaml by `scripts/regenerate` (openapi-python-client). Do not edit by hand:
# change the spec and run `scripts/regenerate`; `scripts/regenerate --check` runs in CI.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.prompt_request_audio_format import PromptRequestAudioFormat
from ..types import UNSET, Unset

T = TypeVar("T", bound="PromptRequest")


@_attrs_define
class PromptRequest:
    """A song described in one prompt.

    Attributes:
        prompt (str): What the song should sound like and be about, in one sentence.
        instrumental (bool | Unset): No vocals and no lyrics. Default: False.
        audio_format (PromptRequestAudioFormat | Unset): Format of the returned audio; only m4a is made for now.
            Default: PromptRequestAudioFormat.M4A.
        moderate_inputs (bool | Unset): Run moderation checks on the inputs. Default: True.
        model (str | Unset): The model to use; `GET /models` lists those available to the key. A free string
            since 0.4.2 (0.3 and 0.4.0 listed names in an enum). The default is the official
            client's code, "FUZZ-2.0"; its README writes "FUZZ 2.0", which is not what it sends.
             Default: 'FUZZ-2.0'.
    """

    prompt: str
    instrumental: bool | Unset = False
    audio_format: PromptRequestAudioFormat | Unset = PromptRequestAudioFormat.M4A
    moderate_inputs: bool | Unset = True
    model: str | Unset = "FUZZ-2.0"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        prompt = self.prompt

        instrumental = self.instrumental

        audio_format: str | Unset = UNSET
        if not isinstance(self.audio_format, Unset):
            audio_format = self.audio_format.value

        moderate_inputs = self.moderate_inputs

        model = self.model

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "prompt": prompt,
            }
        )
        if instrumental is not UNSET:
            field_dict["instrumental"] = instrumental
        if audio_format is not UNSET:
            field_dict["audio_format"] = audio_format
        if moderate_inputs is not UNSET:
            field_dict["moderate_inputs"] = moderate_inputs
        if model is not UNSET:
            field_dict["model"] = model

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        prompt = d.pop("prompt")

        instrumental = d.pop("instrumental", UNSET)

        _audio_format = d.pop("audio_format", UNSET)
        audio_format: PromptRequestAudioFormat | Unset
        if isinstance(_audio_format, Unset):
            audio_format = UNSET
        else:
            audio_format = PromptRequestAudioFormat(_audio_format)

        moderate_inputs = d.pop("moderate_inputs", UNSET)

        model = d.pop("model", UNSET)

        prompt_request = cls(
            prompt=prompt,
            instrumental=instrumental,
            audio_format=audio_format,
            moderate_inputs=moderate_inputs,
            model=model,
        )

        prompt_request.additional_properties = d
        return prompt_request

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
