"""Input and output shapes of the REST API (transport only; no logic)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class RegionOut(Schema):
    code: str = Field(description="Kemendagri code, e.g. 61.03.21")
    name: str
    level: int = Field(description="1 province, 2 regency/city, 3 district, 4 village")
    kind: str
    parent_code: str | None
    bps_code: str = Field(description="BPS code (regencies only); never mixed with the Kemendagri code")
    is_active: bool

    @staticmethod
    def resolve_parent_code(obj) -> str | None:
        code = obj["code"] if isinstance(obj, dict) else obj.code
        return code.rsplit(".", 1)[0] if "." in code else None

    @staticmethod
    def resolve_is_active(obj) -> bool:
        return obj["is_active"] if isinstance(obj, dict) else obj.retired_in_id is None


class ResolutionOut(Schema):
    query: str
    status: str = Field(description="exact, fuzzy, ambiguous or not_found")
    confidence: float
    matched_on: str
    region: RegionOut | None
    candidates: list[RegionOut]


class SizeClassOut(Schema):
    size_class: str | None = Field(description="micro, small, medium or large; null when no figure is given")
    basis: str | None
    regime: str
    source: str


class FiguresOut(Schema):
    as_of: dt.date
    capital_idr: int | None = Field(description="Integer rupiah")
    annual_sales_idr: int | None = Field(description="Integer rupiah")
    assets_idr: int | None
    workers: int | None
    size_class: str
    source: str


class PermitOut(Schema):
    kind: str
    number: str
    issued_on: dt.date | None
    expires_on: dt.date | None
    status: str


class ProductOut(Schema):
    name: str
    unit: str
    price_idr: int | None
    brand: str


class EnterpriseListOut(Schema):
    id: int
    name: str
    owner_name: str
    region_code: str
    regency_code: str
    district_code: str
    is_border: bool
    kbli_section: str
    primary_kbli: str | None
    size_class: str
    has_nib: bool
    sells_cross_border: bool
    is_synthetic: bool

    @staticmethod
    def resolve_owner_name(obj) -> str:
        return obj["owner_name"] if isinstance(obj, dict) else obj.owner.full_name

    @staticmethod
    def resolve_region_code(obj) -> str:
        return obj["region_code"] if isinstance(obj, dict) else obj.region.code

    @staticmethod
    def resolve_primary_kbli(obj) -> str | None:
        if isinstance(obj, dict):
            return obj["primary_kbli"]
        return obj.primary_kbli.code if obj.primary_kbli_id else None


class EnterpriseDetailOut(EnterpriseListOut):
    nib: str
    npwp: str
    owner_nik_masked: str
    address: str
    latitude: float | None
    longitude: float | None
    cross_border_brand: str
    kbli_codes: list[str]
    figures: list[FiguresOut]
    permits: list[PermitOut]
    products: list[ProductOut]


class ErrorOut(Schema):
    detail: str | dict | list
