"""Business units and the people of Northwind Mutual: a real reporting line from the CEO down."""

# ruff: noqa: E501, SIM905 -- tables of demo data read best one record per line.

import datetime as dt
import random
from dataclasses import dataclass

from ramparts.demo.records import ANCHOR, DOMAIN, PersonRec, UnitRec

UNITS = [
    UnitRec("group", "Group Functions", "Executive office, finance, HR, legal, risk, audit and information security."),
    UnitRec("retail", "Retail Banking", "Current accounts, cards, mortgages and savings for 1.2 million customers."),
    UnitRec("commercial", "Commercial Banking", "Lending, trade finance and treasury services for businesses."),
    UnitRec("wealth", "Wealth Management", "Private banking, discretionary portfolios and execution-only trading."),
    UnitRec("insurance", "Insurance", "Home, motor and health insurance, underwriting and claims."),
    UnitRec("techops", "Technology & Operations", "Infrastructure, networks, software delivery, data and facilities."),
]


@dataclass(frozen=True)
class Dept:
    unit: str
    name: str
    head: str  # the head's job title
    size: int  # people below the head
    titles: tuple[str, ...]
    contractors: float = 0.0  # share of contractors among the staff
    privileged: tuple[str, ...] = ()  # titles with privileged access


# The top of the tree: (employee id, title, unit, department). Unit heads report to the CEO.
UNIT_HEADS = {
    "retail": "Managing Director, Retail Banking",
    "commercial": "Managing Director, Commercial Banking",
    "wealth": "Managing Director, Wealth Management",
    "insurance": "Managing Director, Insurance",
    "techops": "Chief Information Officer",
    "group": "Chief Executive Officer",
}

DEPARTMENTS = [
    Dept("group", "Finance", "Chief Financial Officer", 22, ("Financial Controller", "Accountant", "Financial Analyst", "Treasury Analyst", "Payroll Specialist")),
    Dept("group", "Human Resources", "Chief People Officer", 14, ("HR Business Partner", "Recruiter", "HR Administrator", "Reward Analyst")),
    Dept("group", "Legal & Compliance", "General Counsel", 14, ("Senior Counsel", "Compliance Officer", "Data Protection Officer", "AML Investigator")),
    Dept("group", "Risk Management", "Chief Risk Officer", 12, ("Operational Risk Manager", "Credit Risk Analyst", "Model Validator", "Third-Party Risk Analyst")),
    Dept("group", "Internal Audit", "Head of Internal Audit", 6, ("IT Auditor", "Senior Internal Auditor")),
    Dept("group", "Information Security", "Chief Information Security Officer", 14, ("Security Analyst", "Security Engineer", "Identity & Access Analyst", "GRC Analyst", "Penetration Tester"), 0.15, ("Security Engineer", "Identity & Access Analyst")),
    Dept("retail", "Branch Network", "Head of Branch Network", 38, ("Branch Manager", "Customer Adviser", "Mortgage Adviser", "Cashier")),
    Dept("retail", "Cards & Payments", "Head of Cards & Payments", 22, ("Payments Product Manager", "Card Operations Analyst", "Fraud Analyst", "Chargeback Specialist")),
    Dept("retail", "Digital Banking", "Head of Digital Banking", 24, ("Product Owner", "UX Designer", "Mobile Developer", "Web Developer"), 0.3),
    Dept("retail", "Lending", "Head of Lending", 16, ("Credit Underwriter", "Collections Officer", "Lending Operations Analyst")),
    Dept("retail", "Customer Contact Centre", "Head of Customer Contact", 30, ("Contact Centre Agent", "Team Coach", "Complaints Handler"), 0.2),
    Dept("commercial", "Relationship Management", "Head of Relationship Management", 20, ("Relationship Manager", "Credit Analyst", "Associate")),
    Dept("commercial", "Trade Finance", "Head of Trade Finance", 10, ("Trade Finance Officer", "Documentary Credit Specialist")),
    Dept("commercial", "Treasury Services", "Head of Treasury Services", 10, ("Cash Management Specialist", "Treasury Dealer")),
    Dept("wealth", "Private Banking", "Head of Private Banking", 16, ("Private Banker", "Client Associate", "Wealth Planner")),
    Dept("wealth", "Portfolio Management", "Chief Investment Officer", 14, ("Portfolio Manager", "Investment Analyst", "Quantitative Analyst")),
    Dept("wealth", "Trading & Settlement", "Head of Trading", 12, ("Trader", "Settlement Analyst", "Middle Office Analyst")),
    Dept("insurance", "Underwriting", "Head of Underwriting", 16, ("Underwriter", "Pricing Analyst")),
    Dept("insurance", "Claims", "Head of Claims", 24, ("Claims Handler", "Loss Adjuster", "Fraud Investigator"), 0.1),
    Dept("insurance", "Actuarial", "Chief Actuary", 8, ("Actuary", "Actuarial Analyst")),
    Dept("insurance", "Health Insurance", "Head of Health Insurance", 12, ("Medical Claims Assessor", "Health Underwriter", "Nurse Adviser")),
    Dept("techops", "Infrastructure", "Head of Infrastructure", 22, ("Systems Administrator", "Windows Engineer", "Linux Engineer", "Cloud Engineer", "Storage Engineer"), 0.25, ("Systems Administrator", "Windows Engineer", "Linux Engineer", "Cloud Engineer")),
    Dept("techops", "Network Engineering", "Head of Networks", 10, ("Network Engineer", "Network Architect"), 0.2, ("Network Engineer", "Network Architect")),
    Dept("techops", "Application Development", "Head of Engineering", 40, ("Software Engineer", "Senior Software Engineer", "QA Engineer", "DevOps Engineer", "Business Analyst"), 0.35, ("DevOps Engineer",)),
    Dept("techops", "Data Platform", "Head of Data", 14, ("Data Engineer", "Database Administrator", "Data Scientist", "BI Developer"), 0.2, ("Database Administrator",)),
    Dept("techops", "Service Desk", "Service Desk Manager", 16, ("Service Desk Analyst", "Desktop Support Engineer"), 0.3, ("Desktop Support Engineer",)),
    Dept("techops", "Facilities", "Head of Facilities", 8, ("Facilities Coordinator", "Building Systems Engineer"), 0.25, ("Building Systems Engineer",)),
]  # fmt: skip

FIRST = (
    "Amara Ben Chloe Daniel Elif Farah George Hannah Ibrahim Jade Kofi Laura Mateo Nadia Oliver Priya Quentin Rosa "
    "Samuel Tara Umar Valentina William Xin Yusuf Zara Aidan Beatriz Callum Dina Emil Fatima Gareth Helena Isaac "
    "Jonas Keiko Liam Maya Noah Olga Pavel Rania Sofia Tomasz Uma Victor Wen Yara Zoltan Alice Bilal Carmen Dev "
    "Erin Felix Grace Hugo Ines Jamal"
).split()
LAST = (
    "Adeyemi Bauer Campbell Dubois Evans Fischer Garcia Hughes Ivanova Jensen Kowalski Lindqvist Morgan Nakamura "
    "Okafor Patel Quinn Rossi Santos Thompson Usman Varga Walsh Xu Yilmaz Zhang Ahmed Brennan Costa Dimitrov Ellis "
    "Fernandes Gallagher Haddad Ito Jones Khan Larsen Murphy Novak O'Brien Petrov Reid Schmidt Tanaka Wright "
    "Kaur Moreau Silva Owusu"
).split()


class _Names:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def draw(self) -> tuple[str, str]:
        while True:
            name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
            if name not in self.used:
                self.used.add(name)
                return name, _email(name)


def _email(full_name: str) -> str:
    local = ".".join(part.lower().replace("'", "") for part in full_name.split())
    return f"{local}@{DOMAIN}"


def _start(rng: random.Random, senior: bool) -> dt.date:
    years = rng.uniform(3, 20) if senior else rng.uniform(0.1, 12)
    return ANCHOR - dt.timedelta(days=int(years * 365))


def generate_people(rng: random.Random) -> list[PersonRec]:
    names = _Names(rng)
    people: list[PersonRec] = []
    counters = {"employee": 0, "contractor": 0}

    def add(unit: str, dept: str, title: str, manager: str, *, kind="employee", senior=False, priv=False) -> PersonRec:
        counters[kind] += 1
        prefix = "NW" if kind == "employee" else "NWC"
        name, email = names.draw()
        person = PersonRec(
            employee_id=f"{prefix}{counters[kind]:05d}",
            full_name=name,
            email=email,
            business_unit=unit,
            department=dept,
            job_title=title,
            manager=manager,
            kind=kind,
            start_date=_start(rng, senior),
            privileged=priv,
        )
        people.append(person)
        return person

    ceo = add("group", "Executive Office", UNIT_HEADS["group"], "", senior=True)
    add("group", "Executive Office", "Executive Assistant", ceo.employee_id)
    heads = {"group": ceo}
    for unit, title in UNIT_HEADS.items():
        if unit != "group":
            heads[unit] = add(unit, "Leadership", title, ceo.employee_id, senior=True)
    for dept in DEPARTMENTS:
        # Functions of the group report to the CEO; the CISO reports to the Chief Risk Officer.
        boss = heads[dept.unit].employee_id
        if dept.name == "Information Security":
            boss = next(p.employee_id for p in people if p.job_title == "Chief Risk Officer")
        head = add(dept.unit, dept.name, dept.head, boss, senior=True)
        leads = []
        for i in range(max(0, dept.size // 9)):
            lead_title = f"Team Lead, {dept.titles[i % len(dept.titles)]}s"
            leads.append(add(dept.unit, dept.name, lead_title, head.employee_id, senior=True))
        for i in range(dept.size - len(leads)):
            title = dept.titles[(i * 7 + rng.randrange(3)) % len(dept.titles)]
            kind = "contractor" if rng.random() < dept.contractors else "employee"
            manager = (leads[i % len(leads)] if leads else head).employee_id
            add(dept.unit, dept.name, title, manager, kind=kind, priv=title in dept.privileged)
    _mark_leavers(rng, people)
    return people


def _mark_leavers(rng: random.Random, people: list[PersonRec]) -> None:
    """About 7% of the staff have left; two privileged leavers still carry the flag (a finding)."""
    managers = {p.manager for p in people}
    staff = [p for p in people if p.employee_id not in managers]
    leavers = rng.sample(staff, k=len(people) * 7 // 100)
    still_privileged = 0
    for person in leavers:
        person.status = "leaver"
        person.end_date = ANCHOR - dt.timedelta(days=rng.randint(5, 540))
        if person.start_date is None or person.start_date >= person.end_date:
            person.start_date = person.end_date - dt.timedelta(days=rng.randint(200, 2500))
        if person.privileged:
            if still_privileged < 2:
                still_privileged += 1
            else:
                person.privileged = False


def units() -> list[UnitRec]:
    return list(UNITS)
