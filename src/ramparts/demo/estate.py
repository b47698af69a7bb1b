"""The systems of Northwind Mutual: two data centres (London, Manchester), branches, AWS/Azure,
SaaS, a sample of end-user devices, OT in the buildings, and the security tools."""

# ruff: noqa: E501 -- tables of demo data read best one record per line.

import random
from collections.abc import Iterable

from ramparts.demo import catalog as c
from ramparts.demo.records import DOMAIN, PersonRec, SystemRec

CORP = f"corp.{DOMAIN}"


class Estate:
    """Adds systems with generated hostnames, addresses and owners from the given department."""

    def __init__(self, rng: random.Random, people: list[PersonRec]) -> None:
        self.rng = rng
        self.systems: list[SystemRec] = []
        self._private = 10
        self._public = 0
        self._by_dept: dict[str, list[str]] = {}
        for p in people:
            if p.status == "active":
                self._by_dept.setdefault(p.department, []).append(p.employee_id)

    def owner(self, dept: str) -> str:
        return self.rng.choice(self._by_dept[dept]) if dept else ""

    def private_ip(self, site: str) -> str:
        self._private += 1
        second = {"lon": 10, "man": 20, "br": 30, "aws": 40}.get(site, 50)
        return f"10.{second}.{self._private // 250}.{self._private % 250 + 1}"

    def public_ip(self) -> str:
        self._public += 1
        # Documentation ranges (RFC 5737): realistic-looking, never anyone's real address.
        net = ("203.0.113", "198.51.100", "192.0.2")[self._public // 200]
        return f"{net}.{self._public % 200 + 10}"

    def add(
        self,
        name: str,
        kind: str,
        unit: str,
        product: c.Product | None = None,
        *,
        owner: str = "",
        host: bool = False,
        site: str = "lon",
        urls: Iterable[str] = (),
        internet: bool = False,
        tags: Iterable[str] = (),
        env: str = "production",
        lifecycle: str = "in_service",
        crit: int = 1,
        desc: str = "",
    ) -> SystemRec:
        product = product or c.Product("", "", "")
        hostnames, ips = [], []
        if host:
            hostnames.append(f"{name}.{CORP}")
            ips.append(self.private_ip(site))
            if internet:
                ips.append(self.public_ip())
        record = SystemRec(
            name=name,
            kind=kind,
            business_unit=unit,
            description=desc,
            vendor=product.vendor,
            product=product.product,
            version=product.version,
            cpe=product.cpe,
            hostnames=hostnames,
            ip_addresses=ips,
            urls=list(urls),
            environment=env,
            internet_facing=internet,
            owner=self.owner(owner),
            tags=list(tags),
            lifecycle=lifecycle,
            own_criticality=crit,
        )
        self.systems.append(record)
        return record


def generate_systems(rng: random.Random, people: list[PersonRec]) -> list[SystemRec]:
    e = Estate(rng, people)
    _servers(e)
    _databases(e)
    _network(e)
    _applications(e)
    _cloud_and_code(e)
    _security_tools(e)
    _ot(e)
    _end_user_devices(e, people)
    return e.systems


# fmt: off
# The estate reads best one system per line.


def _servers(e: Estate) -> None:
    infra = "Infrastructure"
    for name, site in (("lon-dc01", "lon"), ("lon-dc02", "lon"), ("man-dc01", "man")):
        e.add(name, "server", "techops", c.ACTIVE_DIRECTORY, owner=infra, host=True, site=site, tags=["identity", "tier0"], crit=4, desc="Active Directory domain controller for corp.northwind-mutual.example.")
    e.add("lon-exch01", "server", "techops", c.EXCHANGE, owner=infra, host=True, internet=True, urls=[f"https://mail.{DOMAIN}/owa"], tags=["email", "dmz"], desc="Exchange 2019 mailbox server, Outlook on the web published.")
    e.add("lon-exch02", "server", "techops", c.EXCHANGE, owner=infra, host=True, tags=["email"], desc="Exchange 2019 mailbox server (DAG member).")
    for i in range(1, 5):
        product = c.APACHE_HTTPD if i % 2 else c.NGINX
        e.add(f"lon-web0{i}", "server", "retail", product, owner="Digital Banking", host=True, internet=True, tags=["dmz", "web"], desc="Reverse proxy in front of Online Banking.")
    e.add(
        "lon-web05",
        "server",
        "group",
        c.APACHE_HTTPD_OLD,
        owner="Digital Banking",
        host=True,
        internet=True,
        urls=[f"https://www.{DOMAIN}"],
        tags=["dmz", "web", "marketing"],
        desc="Corporate website, run by the marketing agency; patching is overdue.",
    )
    for i in range(1, 4):
        e.add(f"lon-app-pay0{i}", "server", "retail", c.TOMCAT, owner="Cards & Payments", host=True, tags=["pci", "payments"], desc="Payments Hub application node.")
    for i in range(1, 3):
        e.add(f"lon-app-core0{i}", "server", "retail", c.WEBLOGIC, owner="Application Development", host=True, tags=["core-banking"], desc="Core banking application server.")
        e.add(f"lon-app-claims0{i}", "server", "insurance", c.IIS, owner="Claims", host=True, tags=["claims"], desc="Claims Management web and API node.")
        e.add(f"lon-mq0{i}", "server", "techops", c.ACTIVEMQ, owner="Application Development", host=True, tags=["integration"], desc="Message broker between payments, core banking and notifications.")
    for i in range(1, 4):
        e.add(f"lon-kafka0{i}", "server", "techops", c.KAFKA, owner="Data Platform", host=True, tags=["integration", "streaming"], desc="Event streaming cluster.")
    e.add("lon-file01", "server", "group", c.WINDOWS_SERVER_2019, owner=infra, host=True, tags=["file-share"], desc="Departmental file shares.")
    e.add("lon-print01", "server", "techops", c.PAPERCUT, owner="Service Desk", host=True, tags=["print"], desc="Print management.")
    e.add("lon-mft01", "server", "commercial", c.MOVEIT, owner=infra, host=True, internet=True, urls=[f"https://transfer.{DOMAIN}"], tags=["dmz", "file-transfer"], desc="Managed file transfer with corporate clients and the payment schemes.")
    e.add("lon-mft02", "server", "insurance", c.GOANYWHERE, owner=infra, host=True, internet=True, urls=[f"https://partners.{DOMAIN}"], tags=["dmz", "file-transfer"], desc="File exchange with brokers and reinsurers.")
    e.add("lon-wiki01", "server", "techops", c.CONFLUENCE, owner="Application Development", host=True, urls=[f"https://wiki.{CORP}"], tags=["collaboration"], desc="Confluence wiki.")
    e.add("lon-jira01", "server", "techops", c.JIRA, owner="Application Development", host=True, urls=[f"https://jira.{CORP}"], tags=["collaboration"])
    e.add("lon-ci01", "server", "techops", c.JENKINS, owner="Application Development", host=True, urls=[f"https://jenkins.{CORP}"], tags=["ci-cd"], desc="Build and deployment pipelines.")
    e.add("lon-ci02", "server", "techops", c.TEAMCITY, owner="Application Development", host=True, urls=[f"https://teamcity.{CORP}"], tags=["ci-cd"], desc="Builds for the .NET claims estate.")
    e.add("lon-git01", "server", "techops", c.BITBUCKET, owner="Application Development", host=True, urls=[f"https://git.{CORP}"], tags=["source-code"], lifecycle="retired", desc="Former Bitbucket server; code moved to GitHub.")
    e.add("lon-vc01", "server", "techops", c.VCENTER, owner=infra, host=True, tags=["virtualisation", "tier0"], crit=3)
    for i in range(1, 7):
        e.add(f"lon-esx0{i}", "server", "techops", c.ESXI, owner=infra, host=True, tags=["virtualisation"])
    for i in range(1, 4):
        e.add(f"man-esx0{i}", "server", "techops", c.ESXI_8, owner=infra, host=True, site="man", tags=["virtualisation", "disaster-recovery"])
    e.add("lon-sap01", "server", "group", c.SAP_NETWEAVER, owner="Finance", host=True, tags=["erp", "sox"])
    e.add("lon-ebs01", "server", "group", c.ORACLE_EBS, owner="Finance", host=True, tags=["erp", "procurement"])
    e.add("lon-sp01", "server", "group", c.SHAREPOINT, owner=infra, host=True, urls=[f"https://intranet.{CORP}"], tags=["collaboration"])
    for i in range(1, 3):
        e.add(f"lon-ctx0{i}", "server", "techops", c.CITRIX_VAD, owner=infra, host=True, tags=["remote-access"], desc="Published desktops for contractors and the contact centre.")
    e.add("lon-bastion01", "server", "techops", c.OPENSSH, owner=infra, host=True, tags=["remote-access", "tier0"], desc="SSH jump host (RHEL 9) for administrators.")
    e.add("lon-vault01", "server", "techops", c.VAULT, owner="Information Security", host=True, tags=["secrets", "tier0"], crit=3)
    e.add("lon-sso01", "server", "retail", c.KEYCLOAK, owner="Digital Banking", host=True, internet=True, urls=[f"https://login.{DOMAIN}"], tags=["identity", "customer"], desc="Customer identity (log-in for Online and Mobile Banking).")
    e.add("lon-rs01", "server", "techops", c.SCREENCONNECT, owner="Service Desk", host=True, internet=True, urls=[f"https://support.{DOMAIN}"], tags=["remote-access"], desc="Remote support for branch staff.")
    e.add("lon-legacy01", "server", "insurance", c.WINDOWS_SERVER_2012, owner=infra, host=True, tags=["end-of-life"], desc="Legacy policy archive; decommissioning planned.")
    for i in range(1, 4):
        e.add(f"lon-k8s-m0{i}", "server", "techops", c.UBUNTU_2204, owner=infra, host=True, tags=["kubernetes"], desc="Kubernetes control-plane node.")
    for i in range(1, 7):
        e.add(f"lon-k8s-w0{i}", "server", "techops", c.UBUNTU_2204 if i < 5 else c.UBUNTU_2004, owner=infra, host=True, tags=["kubernetes"])
    e.add("lon-rhel-batch01", "server", "retail", c.RHEL_8, owner="Application Development", host=True, tags=["batch"], desc="Nightly batch jobs (statements, interest).")
    e.add("lon-rhel-batch02", "server", "retail", c.RHEL_9, owner="Application Development", host=True, tags=["batch"], env="staging")
    e.add("lon-app-test01", "server", "techops", c.WINDOWS_SERVER_2022, owner="Application Development", host=True, env="test", tags=["test"])
    e.add("lon-app-dev01", "server", "techops", c.UBUNTU_2204, owner="Application Development", host=True, env="development", tags=["development"])
    e.add("man-app-dr01", "server", "retail", c.WEBLOGIC, owner="Application Development", host=True, site="man", tags=["core-banking", "disaster-recovery"])


def _databases(e: Estate) -> None:
    dba = "Data Platform"
    rows = [
        ("lon-db-core01", "retail", c.ORACLE_DB, "Core banking ledger (primary).", ["core-banking"]),
        ("man-db-core02", "retail", c.ORACLE_DB, "Core banking ledger (Data Guard standby).", ["core-banking", "disaster-recovery"]),
        ("lon-db-pay01", "retail", c.POSTGRES, "Payments Hub database (primary).", ["pci", "payments"]),
        ("lon-db-pay02", "retail", c.POSTGRES, "Payments Hub database (replica).", ["pci", "payments"]),
        ("lon-db-cards01", "retail", c.MSSQL, "Card management database.", ["pci"]),
        ("lon-db-claims01", "insurance", c.MSSQL, "Claims database.", ["claims"]),
        ("lon-db-health01", "insurance", c.MSSQL, "Health claims and medical evidence.", ["phi"]),
        ("lon-db-policy01", "insurance", c.ORACLE_DB, "Policy administration database.", []),
        ("lon-db-crm01", "retail", c.MYSQL, "Marketing and lead management.", []),
        ("lon-db-wealth01", "wealth", c.ORACLE_DB, "Portfolio and client holdings.", []),
        ("lon-db-trade01", "commercial", c.MSSQL, "Trade finance and treasury deals.", []),
        ("lon-db-dwh01", "techops", c.POSTGRES, "Enterprise data warehouse.", ["analytics"]),
        ("lon-db-hr01", "group", c.POSTGRES_OLD, "HR case management (legacy, PostgreSQL 11).", ["end-of-life"]),
        ("lon-db-docs01", "techops", c.MONGODB, "Document metadata store.", []),
        ("lon-db-erp01", "group", c.ORACLE_DB, "ERP database (SAP and E-Business Suite).", ["erp", "sox"]),
        ("lon-cache01", "retail", c.REDIS, "Session cache for Online and Mobile Banking.", []),
        ("lon-es01", "techops", c.ELASTICSEARCH, "Search and log analytics cluster.", ["logging"]),
        ("lon-es02", "techops", c.ELASTICSEARCH, "Search and log analytics cluster.", ["logging"]),
    ]
    for name, unit, product, desc, tags in rows:
        site = "man" if name.startswith("man-") else "lon"
        e.add(name, "database", unit, product, owner=dba, host=True, site=site, tags=tags, desc=desc)


def _network(e: Estate) -> None:
    net = "Network Engineering"
    e.add("lon-fw01", "network_device", "techops", c.FORTIOS, owner=net, host=True, internet=True, tags=["perimeter", "firewall"], crit=3, desc="FortiGate edge firewall (HA pair, primary).")
    e.add("lon-fw02", "network_device", "techops", c.FORTIOS, owner=net, host=True, internet=True, tags=["perimeter", "firewall"], crit=3)
    e.add("man-fw01", "network_device", "techops", c.FORTIOS_NEW, owner=net, host=True, site="man", internet=True, tags=["perimeter", "firewall"])
    for i in (1, 2):
        e.add(f"lon-pa0{i}", "network_device", "techops", c.PANOS, owner=net, host=True, tags=["segmentation", "firewall", "pci"], desc="Palo Alto firewall segmenting the cardholder data environment.")
    e.add("lon-gp01", "network_device", "techops", c.PANOS, owner=net, host=True, internet=True, urls=[f"https://gp.{DOMAIN}"], tags=["remote-access", "vpn"], desc="GlobalProtect portal and gateway for staff VPN.")
    e.add("lon-vpn01", "network_device", "commercial", c.IVANTI_ICS, owner=net, host=True, internet=True, urls=[f"https://vpn.{DOMAIN}"], tags=["remote-access", "vpn"], desc="Ivanti Connect Secure for corporate clients' treasury users.")
    for i in (1, 2):
        e.add(f"lon-adc0{i}", "network_device", "retail", c.NETSCALER, owner=net, host=True, internet=True, tags=["load-balancer", "dmz"], desc="NetScaler ADC publishing Online Banking.")
    e.add("lon-gw01", "network_device", "techops", c.NETSCALER_GW, owner=net, host=True, internet=True, urls=[f"https://apps.{DOMAIN}"], tags=["remote-access"], desc="NetScaler Gateway for Citrix published desktops.")
    for i in (1, 2):
        e.add(f"lon-lb0{i}", "network_device", "techops", c.BIGIP, owner=net, host=True, tags=["load-balancer"])
        e.add(f"lon-core-sw0{i}", "network_device", "techops", c.NXOS, owner=net, host=True, tags=["core-network"], crit=3)
    e.add("lon-rtr01", "network_device", "techops", c.IOS_XE, owner=net, host=True, internet=True, tags=["wan"])
    e.add("man-rtr01", "network_device", "techops", c.IOS_XE, owner=net, host=True, site="man", internet=True, tags=["wan"])
    e.add("lon-asa01", "network_device", "commercial", c.ASA, owner=net, host=True, internet=True, tags=["partner-vpn"], lifecycle="retired", desc="Old partner VPN concentrator, replaced by lon-vpn01.")
    e.add("lon-wlc01", "network_device", "techops", c.ARUBAOS, owner=net, host=True, tags=["wifi"])
    for town in ("leeds", "bristol", "glasgow", "cardiff", "belfast"):
        e.add(f"br-{town}-rtr01", "network_device", "retail", c.JUNOS, owner=net, host=True, site="br", tags=["branch", "wan"])
    e.add("br-york-fw01", "network_device", "retail", c.SONICOS, owner=net, host=True, site="br", internet=True, tags=["branch", "firewall"])


def _applications(e: Estate) -> None:
    nw = "Northwind Mutual"

    def inhouse(product: str, version: str, cpe: c.Product | None = None) -> c.Product:
        return c.Product(nw, product, version, cpe.cpe if cpe else "")

    rows = [
        ("Online Banking", "retail", inhouse("Online Banking", "5.12"), "Digital Banking", True, [f"https://online.{DOMAIN}"], ["customer-facing"]),
        ("Mobile Banking API", "retail", inhouse("Mobile Banking API", "3.8", c.SPRING), "Digital Banking", True, [f"https://api.{DOMAIN}/mobile"], ["customer-facing", "api"]),
        ("Payments Hub", "retail", inhouse("Payments Hub", "4.2", c.SPRING), "Cards & Payments", False, [], ["payments", "pci"]),
        ("Core Banking Ledger", "retail", c.Product("Temenos", "Transact", "R23"), "Application Development", False, [], ["core-banking"]),
        ("Card Switch", "retail", c.Product("ACI Worldwide", "BASE24-eps", "3.2"), "Cards & Payments", False, [], ["pci", "payments"]),
        ("Card Management System", "retail", inhouse("Card Management", "2.7"), "Cards & Payments", False, [], ["pci"]),
        ("Fraud Detection Engine", "retail", inhouse("Fraud Scoring", "1.8", c.PYTHON), "Cards & Payments", False, [], ["fraud", "ml"]),
        ("Loan Origination", "retail", inhouse("Loan Origination", "2.3"), "Lending", False, [], ["lending"]),
        ("Mortgage Portal", "retail", inhouse("Mortgage Portal", "1.4"), "Lending", True, [f"https://mortgages.{DOMAIN}"], ["customer-facing"]),
        ("Branch Teller", "retail", c.Product(nw, "Branch Teller", "7.1", c.LOG4J.cpe), "Branch Network", False, [], ["branch", "java"]),
        ("KYC Onboarding", "group", inhouse("KYC Onboarding", "1.2", c.PYTHON), "Legal & Compliance", True, [f"https://join.{DOMAIN}"], ["kyc", "customer-facing"]),
        ("AML Transaction Monitoring", "group", c.Product("NICE Actimize", "SAM", "10.2"), "Legal & Compliance", False, [], ["aml"]),
        ("Trade Finance Platform", "commercial", c.Product("Finastra", "Fusion Trade Innovation", "5.1"), "Trade Finance", False, [], []),
        ("Treasury Management", "commercial", c.Product("ION", "Wallstreet Suite", "8.1"), "Treasury Services", False, [], []),
        ("Corporate Online Banking", "commercial", inhouse("Corporate Online", "3.0"), "Relationship Management", True, [f"https://business.{DOMAIN}"], ["customer-facing"]),
        ("Portfolio Management System", "wealth", c.Product("SimCorp", "Dimension", "23.07"), "Portfolio Management", False, [], []),
        ("Order Management System", "wealth", c.Product("Charles River", "Investment Management Solution", "23R2"), "Trading & Settlement", False, [], ["trading"]),
        ("Client Reporting Portal", "wealth", inhouse("Client Portal", "2.1", c.NODE), "Private Banking", True, [f"https://wealth.{DOMAIN}"], ["customer-facing"]),
        ("Policy Administration", "insurance", c.Product("Guidewire", "PolicyCenter", "10.2"), "Underwriting", False, [], []),
        ("Claims Management", "insurance", c.Product("Guidewire", "ClaimCenter", "10.2"), "Claims", False, [], ["claims"]),
        ("Health Claims Portal", "insurance", inhouse("Health Claims Portal", "1.6", c.DOTNET), "Health Insurance", True, [f"https://health.{DOMAIN}"], ["customer-facing", "phi"]),
        ("Actuarial Modelling", "insurance", c.Product("Moody's", "AXIS", "2023.1"), "Actuarial", False, [], []),
        ("SAP ERP Finance", "group", c.Product("SAP", "ERP Central Component", "6.0 EHP8"), "Finance", False, [], ["erp", "sox"]),
        ("Procurement", "group", c.Product("Oracle", "E-Business Suite", "12.2.12", c.ORACLE_EBS.cpe), "Finance", False, [], ["erp"]),
        ("Regulatory Reporting", "group", c.Product("Wolters Kluwer", "OneSumX", "8.4"), "Finance", False, [], ["regulatory"]),
        ("Customer Data Platform", "techops", inhouse("Customer 360", "2.0"), "Data Platform", False, [], ["analytics"]),
        ("Document Management", "techops", c.Product("OpenText", "Documentum", "23.2"), "Infrastructure", False, [], []),
        ("Payments Hub (staging)", "retail", inhouse("Payments Hub", "4.3-rc1", c.SPRING), "Cards & Payments", False, [], ["payments"]),
        ("Open Banking Gateway", "retail", inhouse("Open Banking Gateway", "0.9"), "Digital Banking", True, [f"https://openbanking.{DOMAIN}"], ["api"]),
    ]
    for name, unit, product, owner, internet, urls, tags in rows:
        env = "staging" if "(staging)" in name else "production"
        lifecycle = "planned" if name == "Open Banking Gateway" else "in_service"
        e.add(name, "application", unit, product, owner=owner, internet=internet, urls=urls, tags=tags, env=env, lifecycle=lifecycle)
    saas = [
        ("Microsoft 365", c.M365, "Infrastructure", ["email", "collaboration"]),
        ("Entra ID", c.ENTRA, "Information Security", ["identity", "tier0"]),
        ("Salesforce", c.SALESFORCE, "Relationship Management", ["crm"]),
        ("Workday", c.WORKDAY, "Human Resources", ["hr"]),
        ("ServiceNow", c.SERVICENOW, "Service Desk", ["itsm"]),
        ("Slack", c.SLACK, "Infrastructure", ["collaboration"]),
        ("Zoom", c.ZOOM, "Infrastructure", ["collaboration"]),
        ("DocuSign", c.DOCUSIGN, "Legal & Compliance", ["e-signature"]),
        ("GitHub Enterprise Cloud", c.GITHUB_CLOUD, "Application Development", ["source-code"]),
        ("Coupa", c.COUPA, "Finance", ["procurement"]),
        ("Bloomberg Terminal", c.BLOOMBERG, "Trading & Settlement", ["market-data"]),
        ("Genesys Cloud CX", c.Product("Genesys", "Cloud CX", ""), "Customer Contact Centre", ["telephony"]),
    ]
    unit_of = {"Human Resources": "group", "Legal & Compliance": "group", "Finance": "group", "Information Security": "group",
               "Relationship Management": "commercial", "Trading & Settlement": "wealth", "Customer Contact Centre": "retail"}  # fmt: skip
    for name, product, owner, tags in saas:
        e.add(name, "saas", unit_of.get(owner, "techops"), product, owner=owner, internet=True, tags=tags)


def _cloud_and_code(e: Estate) -> None:
    accounts = [
        ("aws-nw-prod-payments", c.AWS, "retail", "AWS account 410287365512: payments and mobile workloads.", "production"),
        ("aws-nw-prod-data", c.AWS, "techops", "AWS account 410287365530: data lake and analytics.", "production"),
        ("aws-nw-security-logs", c.AWS, "group", "AWS account 410287365548: central log archive (write-once).", "production"),
        ("aws-nw-nonprod", c.AWS, "techops", "AWS account 410287365566: test and staging.", "test"),
        ("aws-nw-sandbox", c.AWS, "techops", "AWS account 410287365584: engineers' sandbox.", "development"),
        ("azure-nw-prod", c.AZURE, "insurance", "Azure subscription for the claims and health estate.", "production"),
        ("azure-nw-dev", c.AZURE, "insurance", "Azure subscription for development.", "development"),
        ("gcp-nw-analytics", c.GCP, "wealth", "Google Cloud project for portfolio analytics.", "production"),
    ]
    for name, product, unit, desc, env in accounts:
        e.add(name, "cloud_account", unit, product, owner="Infrastructure", env=env, tags=["cloud"], desc=desc)
    registry = f"registry.{DOMAIN}/northwind"
    images = [
        ("payments-api", "3.4.1", c.OPENJDK, "retail"),
        ("mobile-api", "2.9.0", c.NODE, "retail"),
        ("fraud-scoring", "1.8.2", c.PYTHON, "retail"),
        ("kyc-service", "1.2.0", c.PYTHON, "group"),
        ("notification-service", "1.0.7", c.DOTNET, "techops"),
        ("onboarding-web", "1.2.0", c.NGINX, "group"),
        ("batch-runner", "0.6.3", c.ALPINE, "retail"),
        ("client-portal", "2.1.4", c.NODE, "wealth"),
        ("claims-api", "5.0.2", c.DOTNET, "insurance"),
        ("data-pipeline", "0.14.0", c.PYTHON, "techops"),
    ]
    for name, version, base, unit in images:
        product = c.Product(base.vendor, base.product, base.version, base.cpe)
        e.add(f"{registry}/{name}:{version}", "container_image", unit, product, owner="Application Development", tags=["container"], desc=f"{name} image (base: {base.product} {base.version}).")
    for name, unit, tags in [
        ("payments-api", "retail", ["pci"]), ("mobile-banking-app", "retail", []), ("online-banking-web", "retail", []),
        ("fraud-scoring", "retail", ["ml"]), ("kyc-service", "group", []), ("client-portal", "wealth", []),
        ("claims-api", "insurance", []), ("health-claims-portal", "insurance", ["phi"]), ("data-pipeline", "techops", []),
        ("infrastructure-terraform", "techops", ["infrastructure-as-code"]), ("ansible-playbooks", "techops", ["infrastructure-as-code"]),
        ("detection-rules", "group", ["security"]),
    ]:  # fmt: skip
        e.add(f"github:northwind-mutual/{name}", "code_repository", unit, c.GITHUB_REPO, owner="Application Development", urls=[f"https://github.com/northwind-mutual/{name}"], tags=["source-code", *tags])


def _security_tools(e: Estate) -> None:
    sec = "Information Security"
    e.add("CrowdStrike Falcon", "security_tool", "group", c.FALCON, owner=sec, tags=["edr"], crit=3, desc="EDR on every server and laptop.")
    e.add("lon-siem01", "security_tool", "group", c.SPLUNK, owner=sec, host=True, urls=[f"https://siem.{CORP}"], tags=["siem"], crit=3, desc="Splunk Enterprise: SIEM and security monitoring.")
    e.add("lon-scan01", "security_tool", "group", c.NESSUS, owner=sec, host=True, tags=["vulnerability-scanner"])
    e.add("lon-bkp01", "security_tool", "techops", c.VEEAM, owner="Infrastructure", host=True, tags=["backup"], crit=3, desc="Veeam backup server; immutable copies in Manchester.")
    e.add("man-bkp01", "security_tool", "techops", c.VEEAM, owner="Infrastructure", host=True, site="man", tags=["backup", "disaster-recovery"])
    e.add("lon-pam01", "security_tool", "group", c.CYBERARK, owner=sec, host=True, tags=["pam", "tier0"], crit=3, desc="CyberArk vault for administrator credentials.")
    e.add("lon-mfa01", "security_tool", "group", c.DUO, owner=sec, host=True, tags=["mfa"], desc="Duo authentication proxy for VPN and bastion MFA.")
    e.add("Proofpoint Email Protection", "security_tool", "group", c.PROOFPOINT, owner=sec, internet=True, tags=["email-security"])
    e.add("Cloudflare WAF", "security_tool", "group", c.CLOUDFLARE, owner=sec, internet=True, tags=["waf", "ddos"], desc="WAF and DDoS protection in front of the customer-facing sites.")
    e.add("lon-waf01", "security_tool", "insurance", c.FORTIWEB, owner=sec, host=True, internet=True, tags=["waf"], desc="FortiWeb in front of the health claims portal.")
    e.add("Zscaler Internet Access", "security_tool", "group", c.ZSCALER, owner=sec, internet=True, tags=["web-gateway"])
    e.add("KnowBe4", "security_tool", "group", c.KNOWBE4, owner=sec, internet=True, tags=["awareness", "phishing-simulation"])
    e.add("lon-hids01", "security_tool", "techops", c.WAZUH, owner=sec, host=True, env="test", tags=["hids"], lifecycle="planned", desc="Wazuh pilot for Linux file-integrity monitoring.")


def _ot(e: Estate) -> None:
    fac = "Facilities"
    rows = [
        ("lon-bms01", c.DESIGO, "Building management (HVAC, lighting) for the London head office."),
        ("man-bms01", c.METASYS, "Building management for the Manchester data centre."),
        ("lon-plc-hvac01", c.SIMATIC, "PLC for the data-hall chillers."),
        ("lon-cctv01", c.AXIS, "CCTV camera, data-hall entrance."),
        ("lon-cctv02", c.AXIS, "CCTV camera, loading bay."),
        ("br-leeds-cctv01", c.HIKVISION, "CCTV recorder in the Leeds branch."),
        ("lon-ups01", c.APC_NMC, "UPS management card, data hall A."),
        ("lon-ups02", c.APC_NMC, "UPS management card, data hall B."),
        ("lon-acs01", c.LENEL, "Physical access control (badges, doors)."),
        ("man-crac01", c.VERTIV, "Cooling unit controller, Manchester data hall."),
    ]
    for name, product, desc in rows:
        site = name.split("-")[0]
        e.add(name, "ot_device", "techops", product, owner=fac, host=True, site=site, tags=["ot", "building"], desc=desc)


def _end_user_devices(e: Estate, people: list[PersonRec]) -> None:
    """A sample of laptops and phones, each owned by its user."""
    active = [p for p in people if p.status == "active"]
    for i, person in enumerate(e.rng.sample(active, 28), start=1):
        dev = person.department in {"Application Development", "Digital Banking", "Data Platform"}
        product = c.MACOS if dev else (c.WINDOWS_10 if i % 5 == 0 else c.WINDOWS_11)
        rec = e.add(f"nwl-{i:04d}", "workstation", person.business_unit, product, host=True, tags=["laptop"], desc=f"Laptop of {person.full_name}.")
        rec.owner = person.employee_id
    for i, person in enumerate(e.rng.sample(active, 6), start=1):
        rec = e.add(f"nwm-{i:04d}", "mobile_device", person.business_unit, c.IOS_17 if i % 2 else c.ANDROID_14, tags=["mobile", "byod" if i % 3 == 0 else "corporate"], desc=f"Phone of {person.full_name}.")
        rec.owner = person.employee_id
