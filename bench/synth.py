"""Synthetic inventory at benchmark scale, as import rows (cells). Deterministic with a seed.

Products and CPE names come from the demo catalogue, so that rows look like a real estate."""

import csv
import io
import random
from dataclasses import dataclass

from ramparts.demo import catalog

UNITS = [
    ("group", "Group Functions"),
    ("retail", "Retail Banking"),
    ("commercial", "Commercial Banking"),
    ("wealth", "Wealth Management"),
    ("insurance", "Insurance"),
    ("techops", "Technology & Operations"),
]
KINDS = ["server", "workstation", "network_device", "application", "saas", "cloud_account", "container_image",
         "code_repository", "database", "ot_device", "security_tool"]  # fmt: skip
ENVIRONMENTS = ["production", "production", "production", "staging", "test", "development"]
TAGS = ["pci", "dmz", "web", "core-banking", "payments", "kubernetes", "backup", "identity", "legacy", "analytics"]
DEPARTMENTS = ["Finance", "Infrastructure", "Digital Banking", "Claims", "Lending", "Trading", "Data Platform",
               "Service Desk", "Branch Network", "Information Security", "Human Resources", "Underwriting"]  # fmt: skip
PRODUCTS = [p for p in vars(catalog).values() if isinstance(p, catalog.Product) and p.cpe]


@dataclass
class Scale:
    people: int = 20_000
    systems: int = 10_000
    data_assets: int = 2_000
    services: int = 500


def people_rows(rng: random.Random, n: int) -> list[dict[str, str]]:
    """A reporting tree: each person's manager is someone listed before them."""
    rows = []
    for i in range(n):
        manager = "" if i == 0 else f"E{rng.randrange(max(1, i // 8)):06d}"
        leaver = rng.random() < 0.06
        rows.append(
            {
                "employee_id": f"E{i:06d}",
                "full_name": f"Person {i:06d} {rng.choice(['Smith', 'Patel', 'Nowak', 'Garcia', 'Chen'])}",
                "email": f"person{i}@bench.example",
                "kind": "contractor" if rng.random() < 0.1 else "employee",
                "business_unit": UNITS[i % len(UNITS)][0],
                "department": rng.choice(DEPARTMENTS),
                "job_title": rng.choice(["Analyst", "Engineer", "Manager", "Adviser", "Specialist"]),
                "manager": manager,
                "status": "leaver" if leaver else "active",
                "start_date": f"20{rng.randint(5, 22):02d}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                "end_date": "2025-06-30" if leaver else "",
                "privileged": "true" if rng.random() < 0.03 else "false",
            }
        )
    return rows


def system_rows(rng: random.Random, n: int, people: int) -> list[dict[str, str]]:
    rows = []
    for i in range(n):
        product = rng.choice(PRODUCTS)
        internet = rng.random() < 0.08
        rows.append(
            {
                "name": f"sys-{i:05d}",
                "kind": KINDS[i % len(KINDS)],
                "business_unit": UNITS[i % len(UNITS)][0],
                "description": f"Benchmark system {i} running {product.product}",
                "vendor": product.vendor,
                "product": product.product,
                "version": product.version,
                "cpe": product.cpe,
                "hostnames": f"sys-{i:05d}.corp.bench.example",
                "ip_addresses": f"10.{i // 65536}.{i // 256 % 256}.{i % 256}",
                "urls": f"https://sys-{i:05d}.bench.example" if internet else "",
                "environment": rng.choice(ENVIRONMENTS),
                "internet_facing": "true" if internet else "false",
                "owner": f"E{rng.randrange(people):06d}",
                "tags": "; ".join(rng.sample(TAGS, rng.randint(0, 3))),
                "lifecycle": "in_service" if rng.random() < 0.9 else rng.choice(["planned", "retired"]),
                "criticality": rng.choice(["low", "low", "low", "medium", "high"]),
            }
        )
    return rows


def data_asset_rows(rng: random.Random, n: int, systems: int, people: int) -> list[dict[str, str]]:
    rows = []
    for i in range(n):
        cls = rng.choice(["public", "internal", "confidential", "restricted"])
        rows.append(
            {
                "name": f"data-{i:05d}",
                "business_unit": UNITS[i % len(UNITS)][0],
                "description": f"Benchmark data asset {i}",
                "classification": cls,
                "personal_data": "true" if rng.random() < 0.5 else "false",
                "cardholder_data": "true" if rng.random() < 0.05 else "false",
                "record_count": str(rng.randint(10, 10_000_000)),
                "confidentiality": rng.choice(["low", "moderate", "high"]),
                "integrity": rng.choice(["low", "moderate", "high"]),
                "availability": rng.choice(["low", "moderate", "high"]),
                "systems": "; ".join(f"sys-{s:05d}" for s in rng.sample(range(systems), rng.randint(1, 4))),
                "owner": f"E{rng.randrange(people):06d}",
                "regulations": rng.choice(["GDPR", "GDPR; PCI DSS", "SOX", "DORA; NIS2", ""]),
            }
        )
    return rows


def service_rows(rng: random.Random, n: int, people: int) -> list[dict[str, str]]:
    return [
        {
            "name": f"svc-{i:04d}",
            "business_unit": UNITS[i % len(UNITS)][0],
            "description": f"Benchmark business service {i}",
            "criticality": rng.choice(["critical", "high", "medium", "medium", "low"]),
            "rto_hours": str(rng.choice([4, 8, 24, 72])),
            "rpo_hours": str(rng.choice([1, 4, 24])),
            "owner": f"E{rng.randrange(people):06d}",
            "confidentiality": rng.choice(["low", "moderate", "high"]),
            "integrity": rng.choice(["low", "moderate", "high"]),
            "availability": rng.choice(["low", "moderate", "high"]),
        }
        for i in range(n)
    ]


def dependency_rows(rng: random.Random, services: int, systems: int, data_assets: int) -> list[dict[str, str]]:
    """~14 edges a service; a service depends only on services with a higher number (no cycle)."""
    rows = []
    for i in range(services):
        name = f"svc-{i:04d}"
        for s in rng.sample(range(systems), 10):
            rows.append({"service": name, "target_type": "system", "target": f"sys-{s:05d}"})
        for d in rng.sample(range(data_assets), 2):
            rows.append({"service": name, "target_type": "data_asset", "target": f"data-{d:05d}"})
        later = range(i + 1, services)
        for u in rng.sample(later, min(2, len(later))):
            rows.append({"service": name, "target_type": "service", "target": f"svc-{u:04d}"})
    return rows


def to_csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")
