"""Reads and writes of the coordinator profile and per-install settings."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.models import CoordinatorProfile, Setting, current_profile
from app.store import write

SAVE_MODE_KEY = "files_save_mode"  # "ask" | "folder"
SAVE_FOLDER_KEY = "files_folder"


@dataclass
class ProfileData:
    name: str
    role: str
    county: str
    central_office_email: str


def save_profile(s: Session, data: ProfileData) -> CoordinatorProfile:
    with write(s):
        profile = current_profile(s) or CoordinatorProfile()
        profile.name = data.name.strip()
        profile.role = data.role
        profile.county = data.county
        profile.central_office_email = data.central_office_email.strip()
        s.add(profile)
    return profile


def save_settings(s: Session, values: dict[str, str]) -> None:
    with write(s):
        for key, value in values.items():
            s.merge(Setting(key=key, value=value))
