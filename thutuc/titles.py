"""Who heads an agency, and how an act it issues is signed.

The signature block of an administrative act names the authority that signs (Nghị định
30/2020/NĐ-CP về công tác văn thư, Điều 8 and Phụ lục I): the head signs under their own
title ("GIÁM ĐỐC"); a deputy signs on the head's behalf, "KT." (ký thay) above the head's
title and their own title below ("KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"); for a people's committee,
which decides as a collective, "TM. ỦY BAN NHÂN DÂN" (thay mặt) comes first. Never a
generic "THỦ TRƯỞNG CƠ QUAN" above somebody's name.

Pure: the agency's level and the signer's position (`User.position`) decide."""

from __future__ import annotations

from dataclasses import dataclass

from core.text import fold

from .models.agency import AgencyLevel

# The head's title by the agency's level, and whether the agency decides as a collective.
HEAD_TITLE = {
    AgencyLevel.PROVINCE: "Chủ tịch",
    AgencyLevel.DISTRICT: "Chủ tịch",
    AgencyLevel.COMMUNE: "Chủ tịch",
    AgencyLevel.DEPARTMENT: "Giám đốc",
    AgencyLevel.ONE_STOP_CENTRE: "Giám đốc",
    AgencyLevel.UNIT: "Trưởng phòng",
}
COLLECTIVE = {
    AgencyLevel.PROVINCE: "TM. Ủy ban nhân dân",
    AgencyLevel.DISTRICT: "TM. Ủy ban nhân dân",
    AgencyLevel.COMMUNE: "TM. Ủy ban nhân dân",
}


def head_title(agency) -> str:
    return HEAD_TITLE.get(getattr(agency, "level", ""), "Thủ trưởng cơ quan")


def deputy_title(agency) -> str:
    """The title of a deputy head of `agency` ("Phó Giám đốc", "Phó Chủ tịch")."""
    return f"Phó {head_title(agency)[0].lower()}{head_title(agency)[1:]}"


@dataclass(frozen=True)
class SignatureBlock:
    """The lines above the signature (upper case when printed) and the signer's name."""

    lines: tuple[str, ...]
    name: str


def official_signature(agency, signer) -> SignatureBlock | None:
    """How `signer` (a User) signs an act issued by `agency`: a position starting with "Phó"
    is a deputy signing for the head (KT.), one starting with the head's title is the head.
    None for anybody else (a specialist, a clerk): such a person does not sign in the
    agency's name, and the form shows them in their own capacity instead."""
    if signer is None:
        return None
    head = head_title(agency)
    lines = [COLLECTIVE[agency.level]] if getattr(agency, "level", "") in COLLECTIVE else []
    position = fold(getattr(signer, "position", ""))
    if position.startswith("pho "):
        lines += [f"KT. {head}", deputy_title(agency)]
    elif position.startswith(fold(head)):
        lines.append(head)
    else:
        return None
    return SignatureBlock(tuple(lines), signer.get_full_name())


def blank_signature(agency) -> SignatureBlock:
    """The agency's signature block left to sign by hand (no signer recorded)."""
    lines = [COLLECTIVE[agency.level]] if getattr(agency, "level", "") in COLLECTIVE else []
    return SignatureBlock((*lines, head_title(agency)), "")
