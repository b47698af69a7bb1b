"""Data assets and business services of Northwind Mutual, and their dependencies.

Services are listed so that every service depends only on services above it: the graph has no
cycle by construction (tests check it again).
"""

# ruff: noqa: E501 -- tables of demo data read best one record per line.

from ramparts.demo.records import DataRec, PersonRec, ServiceRec

R, C, INT, P = "restricted", "confidential", "internal", "public"
GDPR, PCI, HIPAA, SOX, NIS2, DORA = "GDPR", "PCI DSS", "HIPAA", "SOX", "NIS2", "DORA"

# name, unit, classification, flags (p=personal, s=special category, h=health, c=cardholder), records,
# C/I/A as "332", owner department, systems, regulations, description
DATA = [
    ("Customer master records", "retail", C, "p", 1_200_000, "332", "Digital Banking", ["lon-db-core01", "man-db-core02", "Core Banking Ledger"], [GDPR, DORA], "Names, addresses, dates of birth and contact details of every retail customer."),
    ("Current account transactions", "retail", R, "p", 480_000_000, "333", "Branch Network", ["lon-db-core01", "Core Banking Ledger", "lon-db-dwh01"], [GDPR, DORA], "Seven years of account movements."),
    ("Cardholder data", "retail", R, "pc", 950_000, "333", "Cards & Payments", ["lon-db-cards01", "Card Management System", "Card Switch"], [PCI, GDPR], "PAN, expiry and cardholder name for debit and credit cards."),
    ("Card authorisation logs", "retail", R, "c", 210_000_000, "332", "Cards & Payments", ["Card Switch", "lon-db-pay01"], [PCI], "Authorisation requests and responses from the card schemes."),
    ("Payment instructions", "retail", C, "p", 35_000_000, "333", "Cards & Payments", ["Payments Hub", "lon-db-pay01", "lon-db-pay02", "lon-mq01", "lon-mq02"], [GDPR, DORA], "Faster Payments, BACS and SEPA instructions in flight."),
    ("Online banking credentials and sessions", "retail", R, "p", 1_100_000, "333", "Digital Banking", ["lon-sso01", "lon-cache01"], [GDPR], "Password hashes, device bindings and session tokens."),
    ("Mortgage applications", "retail", C, "p", 85_000, "322", "Lending", ["Loan Origination", "Mortgage Portal"], [GDPR], "Income, employment and property details of applicants."),
    ("Credit scoring features", "retail", C, "p", 1_200_000, "332", "Data Platform", ["Customer Data Platform", "aws-nw-prod-data"], [GDPR], "Behavioural features used by the credit and fraud models."),
    ("Fraud cases", "retail", R, "p", 42_000, "332", "Cards & Payments", ["Fraud Detection Engine"], [GDPR], "Investigations of suspected card and payment fraud."),
    ("Marketing leads", "retail", INT, "p", 300_000, "211", "Digital Banking", ["lon-db-crm01", "Salesforce"], [GDPR], "Prospects and their marketing consents."),
    ("Contact centre call recordings", "retail", C, "pc", 2_400_000, "321", "Customer Contact Centre", ["Genesys Cloud CX"], [GDPR, PCI], "Recorded calls; card numbers are paused out, but not always."),
    ("Branch cash positions", "retail", INT, "", 1_200, "232", "Branch Network", ["Branch Teller"], [], "Daily till and vault balances per branch."),
    ("KYC identity documents", "group", R, "ps", 1_100_000, "332", "Legal & Compliance", ["KYC Onboarding", "Document Management", "aws-nw-prod-data"], [GDPR], "Passport and licence scans and selfie images (biometric data)."),
    ("AML alerts and suspicious activity reports", "group", R, "p", 65_000, "332", "Legal & Compliance", ["AML Transaction Monitoring"], [GDPR], "Alerts, investigations and SARs filed with the authorities."),
    ("Employee records", "group", C, "psh", 980, "322", "Human Resources", ["Workday", "lon-db-hr01"], [GDPR], "Contracts, performance, sickness absence and trade-union membership."),
    ("Payroll", "group", R, "p", 11_800, "332", "Finance", ["Workday", "SAP ERP Finance"], [GDPR, SOX], "Salaries, bank details and tax codes."),
    ("General ledger", "group", C, "", 12_000_000, "332", "Finance", ["SAP ERP Finance", "lon-db-erp01", "lon-sap01"], [SOX], "Journals and balances of every legal entity."),
    ("Financial statements before release", "group", R, "", 240, "331", "Finance", ["lon-sp01", "Microsoft 365"], [SOX], "Quarterly results before their publication."),
    ("Supplier contracts", "group", C, "", 3_400, "221", "Finance", ["Procurement", "Coupa", "DocuSign"], [DORA], "Contracts, including ICT third-party arrangements under DORA."),
    ("Board minutes", "group", R, "", 400, "331", "Legal & Compliance", ["Microsoft 365"], [], "Minutes and papers of the board and its committees."),
    ("Regulatory returns", "group", C, "", 5_200, "332", "Finance", ["Regulatory Reporting"], [DORA, SOX], "Prudential and statistical returns to the regulators."),
    ("Security event logs", "group", C, "p", 9_000_000_000, "232", "Information Security", ["lon-siem01", "aws-nw-security-logs", "lon-es01", "lon-es02"], [GDPR, NIS2, DORA, PCI], "Authentication, firewall, EDR and application logs."),
    ("Privileged credentials", "group", R, "", 1_800, "333", "Information Security", ["lon-pam01", "lon-vault01"], [PCI, DORA], "Administrator passwords, SSH keys and service-account secrets."),
    ("Incident reports", "group", R, "p", 310, "322", "Information Security", ["ServiceNow"], [NIS2, DORA, GDPR], "Security incidents, their timelines and notifications."),
    ("Vulnerability scan results", "group", C, "", 120_000, "221", "Information Security", ["lon-scan01"], [PCI], "Findings from the internal and external scans."),
    ("Public website content", "group", P, "", 1_800, "121", "Digital Banking", ["lon-web05"], [], "Pages, rates and product brochures."),
    ("Policies and standards", "group", INT, "", 140, "221", "Risk Management", ["lon-sp01"], [], "The policy framework and its standards."),
    ("Corporate client KYB files", "commercial", C, "p", 14_000, "322", "Relationship Management", ["Salesforce", "Document Management"], [GDPR], "Ownership structures and directors' identity documents."),
    ("Trade finance documents", "commercial", C, "", 38_000, "332", "Trade Finance", ["Trade Finance Platform", "lon-db-trade01", "lon-mft01"], [], "Letters of credit, bills of lading and guarantees."),
    ("Treasury deal records", "commercial", C, "", 260_000, "332", "Treasury Services", ["Treasury Management", "lon-db-trade01"], [DORA], "FX and money-market deals of corporate clients."),
    ("Corporate payment files", "commercial", R, "p", 9_000_000, "333", "Treasury Services", ["lon-mft01", "Payments Hub", "Corporate Online Banking"], [DORA, GDPR], "Bulk payroll and supplier payment files from business clients."),
    ("Client portfolios and holdings", "wealth", C, "p", 48_000, "332", "Portfolio Management", ["Portfolio Management System", "lon-db-wealth01"], [GDPR], "Positions, valuations and mandates of private clients."),
    ("Trade orders and executions", "wealth", C, "", 14_000_000, "333", "Trading & Settlement", ["Order Management System", "lon-db-wealth01"], [DORA], "Orders, fills and allocations."),
    ("Suitability assessments", "wealth", C, "p", 48_000, "322", "Private Banking", ["Client Reporting Portal", "Salesforce"], [GDPR], "Clients' risk profiles, knowledge and financial situation."),
    ("Market data", "wealth", INT, "", 2_000_000, "122", "Trading & Settlement", ["Bloomberg Terminal", "gcp-nw-analytics"], [], "Licensed prices and reference data."),
    ("Policy records", "insurance", C, "p", 720_000, "332", "Underwriting", ["Policy Administration", "lon-db-policy01"], [GDPR], "Home and motor policies with the insured's details."),
    ("Claims files", "insurance", C, "p", 410_000, "322", "Claims", ["Claims Management", "lon-db-claims01", "azure-nw-prod"], [GDPR], "Claims, photos, loss adjusters' reports."),
    ("Health claims and medical records", "insurance", R, "psh", 160_000, "332", "Health Insurance", ["lon-db-health01", "Health Claims Portal", "azure-nw-prod"], [GDPR, HIPAA], "Medical evidence for health claims, including the US expatriate plan (PHI)."),
    ("Actuarial reserving models", "insurance", C, "", 120, "331", "Actuarial", ["Actuarial Modelling"], [SOX], "Reserving and capital models."),
    ("Broker and reinsurer exchanges", "insurance", C, "p", 22_000, "222", "Underwriting", ["lon-mft02"], [GDPR], "Bordereaux and claims files exchanged with partners."),
    ("Legacy policy archive", "insurance", C, "p", 2_300_000, "211", "Claims", ["lon-legacy01"], [GDPR], "Closed policies kept for the retention period."),
    ("Source code", "techops", C, "", 2_600, "332", "Application Development", ["GitHub Enterprise Cloud", "github:northwind-mutual/payments-api", "github:northwind-mutual/online-banking-web", "lon-ci01"], [], "Application source code and build definitions."),
    ("Infrastructure configuration", "techops", R, "", 9_500, "332", "Infrastructure", ["lon-vault01", "github:northwind-mutual/infrastructure-terraform", "github:northwind-mutual/ansible-playbooks"], [], "Terraform state, Ansible inventories and their secrets."),
    ("Enterprise data warehouse", "techops", C, "p", 3_100_000_000, "322", "Data Platform", ["lon-db-dwh01", "aws-nw-prod-data", "Customer Data Platform"], [GDPR], "History of customers, products and transactions for reporting."),
    ("Backups", "techops", R, "pc", 850_000, "333", "Infrastructure", ["lon-bkp01", "man-bkp01"], [GDPR, PCI, DORA], "Nightly backups of every production database and file share."),
    ("Email archive", "group", C, "p", 310_000_000, "221", "Legal & Compliance", ["Microsoft 365", "lon-exch01", "lon-exch02", "Proofpoint Email Protection"], [GDPR], "Ten years of e-mail kept for legal hold."),
    ("CCTV footage", "techops", C, "p", 90_000, "211", "Facilities", ["lon-cctv01", "lon-cctv02", "br-leeds-cctv01"], [GDPR], "Thirty days of footage."),
    ("Building access logs", "techops", INT, "p", 4_200_000, "221", "Facilities", ["lon-acs01"], [GDPR], "Badge swipes at every door."),
]  # fmt: skip

# name, unit, tier, C/I/A, owner department, systems, data assets, upstream services, description
SERVICES = [
    ("Identity and Access Management", "group", 2, "333", "Information Security", ["lon-dc01", "lon-dc02", "man-dc01", "Entra ID", "lon-mfa01", "lon-pam01"], ["Privileged credentials"], [], "Workforce directory, single sign-on, MFA and privileged access."),
    ("Network and Connectivity", "techops", 2, "233", "Network Engineering", ["lon-fw01", "lon-fw02", "man-fw01", "lon-core-sw01", "lon-core-sw02", "lon-rtr01", "man-rtr01", "lon-lb01", "lon-lb02", "lon-pa01", "lon-pa02", "lon-gp01"], [], [], "Data-centre and WAN networks, firewalls and staff VPN."),
    ("Data Centre Facilities", "techops", 2, "123", "Facilities", ["lon-bms01", "man-bms01", "lon-plc-hvac01", "lon-ups01", "lon-ups02", "man-crac01", "lon-acs01", "lon-cctv01", "lon-cctv02"], ["Building access logs", "CCTV footage"], [], "Power, cooling and physical security of both data centres."),
    ("Virtualisation and Hosting", "techops", 2, "233", "Infrastructure", ["lon-vc01", "lon-esx01", "lon-esx02", "lon-esx03", "lon-esx04", "lon-esx05", "lon-esx06", "man-esx01", "man-esx02", "man-esx03", "lon-k8s-m01", "lon-k8s-m02", "lon-k8s-m03", "lon-k8s-w01", "lon-k8s-w02", "lon-k8s-w03", "lon-k8s-w04", "lon-k8s-w05", "lon-k8s-w06"], [], ["Network and Connectivity", "Data Centre Facilities"], "VMware and Kubernetes platforms."),
    ("Email and Collaboration", "techops", 3, "222", "Infrastructure", ["Microsoft 365", "lon-exch01", "lon-exch02", "Slack", "Zoom", "lon-sp01", "lon-wiki01", "Proofpoint Email Protection"], ["Email archive", "Policies and standards"], ["Identity and Access Management", "Network and Connectivity"], "E-mail, chat, meetings and the intranet."),
    ("Backup and Recovery", "techops", 2, "333", "Infrastructure", ["lon-bkp01", "man-bkp01"], ["Backups"], ["Virtualisation and Hosting"], "Backups and restores, including immutable copies."),
    ("Security Monitoring and Response", "group", 2, "332", "Information Security", ["lon-siem01", "CrowdStrike Falcon", "lon-scan01", "aws-nw-security-logs", "lon-es01", "lon-es02", "Zscaler Internet Access"], ["Security event logs", "Incident reports", "Vulnerability scan results"], ["Identity and Access Management", "Network and Connectivity"], "Detection, response and vulnerability management."),
    ("IT Service Desk", "techops", 4, "212", "Service Desk", ["ServiceNow", "lon-rs01", "lon-print01"], [], ["Identity and Access Management"], "Support for staff and branches."),
    ("Software Delivery", "techops", 3, "232", "Application Development", ["GitHub Enterprise Cloud", "lon-ci01", "lon-ci02", "lon-vault01", "github:northwind-mutual/payments-api", "github:northwind-mutual/infrastructure-terraform"], ["Source code", "Infrastructure configuration"], ["Identity and Access Management"], "Source control, builds and deployments."),
    ("Data and Analytics", "techops", 3, "322", "Data Platform", ["lon-db-dwh01", "aws-nw-prod-data", "lon-kafka01", "lon-kafka02", "lon-kafka03", "Customer Data Platform", "registry.northwind-mutual.example/northwind/data-pipeline:0.14.0"], ["Enterprise data warehouse"], ["Virtualisation and Hosting"], "Data warehouse, event streams and reporting."),
    ("Customer Onboarding and KYC", "group", 2, "332", "Legal & Compliance", ["KYC Onboarding", "registry.northwind-mutual.example/northwind/kyc-service:1.2.0", "registry.northwind-mutual.example/northwind/onboarding-web:1.2.0"], ["KYC identity documents", "Customer master records"], ["Identity and Access Management", "Virtualisation and Hosting"], "Identity verification and account opening."),
    ("Core Banking", "retail", 1, "333", "Branch Network", ["Core Banking Ledger", "lon-app-core01", "lon-app-core02", "man-app-dr01", "lon-db-core01", "man-db-core02", "lon-rhel-batch01"], ["Customer master records", "Current account transactions"], ["Virtualisation and Hosting", "Backup and Recovery", "Network and Connectivity"], "Accounts, balances, interest and statements."),
    ("Payments", "retail", 1, "333", "Cards & Payments", ["Payments Hub", "lon-app-pay01", "lon-app-pay02", "lon-app-pay03", "lon-db-pay01", "lon-db-pay02", "lon-mq01", "lon-mq02", "aws-nw-prod-payments", "registry.northwind-mutual.example/northwind/payments-api:3.4.1"], ["Payment instructions", "Card authorisation logs"], ["Core Banking", "Identity and Access Management", "Network and Connectivity"], "Faster Payments, BACS, CHAPS and SEPA, in and out."),
    ("Card Services", "retail", 1, "333", "Cards & Payments", ["Card Management System", "Card Switch", "lon-db-cards01"], ["Cardholder data"], ["Payments"], "Card issuing, authorisation and disputes."),
    ("Fraud Detection", "retail", 2, "332", "Cards & Payments", ["Fraud Detection Engine", "registry.northwind-mutual.example/northwind/fraud-scoring:1.8.2"], ["Fraud cases", "Credit scoring features"], ["Payments", "Data and Analytics"], "Real-time scoring of payments and card transactions."),
    ("Online and Mobile Banking", "retail", 1, "332", "Digital Banking", ["Online Banking", "Mobile Banking API", "lon-web01", "lon-web02", "lon-web03", "lon-web04", "lon-adc01", "lon-adc02", "lon-sso01", "lon-cache01", "Cloudflare WAF", "registry.northwind-mutual.example/northwind/mobile-api:2.9.0"], ["Online banking credentials and sessions"], ["Core Banking", "Payments", "Security Monitoring and Response"], "Web and app banking for retail customers."),
    ("Lending and Mortgages", "retail", 2, "322", "Lending", ["Loan Origination", "Mortgage Portal"], ["Mortgage applications", "Credit scoring features"], ["Core Banking", "Customer Onboarding and KYC"], "Personal loans and mortgages, from application to completion."),
    ("Branch Operations", "retail", 3, "222", "Branch Network", ["Branch Teller", "br-leeds-rtr01", "br-bristol-rtr01", "br-glasgow-rtr01", "br-cardiff-rtr01", "br-belfast-rtr01", "br-york-fw01", "br-leeds-cctv01"], ["Branch cash positions"], ["Core Banking", "Network and Connectivity"], "Tellers, cash and counter services in 42 branches."),
    ("Customer Contact Centre", "retail", 3, "222", "Customer Contact Centre", ["Genesys Cloud CX", "lon-ctx01", "lon-ctx02", "lon-gw01", "Salesforce"], ["Contact centre call recordings"], ["Core Banking", "Identity and Access Management"], "Telephone and chat support."),
    ("Financial Crime Compliance", "group", 2, "332", "Legal & Compliance", ["AML Transaction Monitoring"], ["AML alerts and suspicious activity reports"], ["Core Banking", "Payments"], "Transaction monitoring, sanctions screening and SARs."),
    ("Corporate Banking and Trade Finance", "commercial", 2, "332", "Trade Finance", ["Trade Finance Platform", "Corporate Online Banking", "lon-vpn01", "lon-db-trade01", "lon-mft01"], ["Trade finance documents", "Corporate payment files", "Corporate client KYB files"], ["Payments", "Customer Onboarding and KYC"], "Business accounts, bulk payments and trade finance."),
    ("Treasury Services", "commercial", 2, "332", "Treasury Services", ["Treasury Management", "lon-db-trade01"], ["Treasury deal records"], ["Core Banking"], "FX and money-market dealing for business clients."),
    ("Wealth Portfolio Management", "wealth", 2, "322", "Portfolio Management", ["Portfolio Management System", "lon-db-wealth01", "Client Reporting Portal", "registry.northwind-mutual.example/northwind/client-portal:2.1.4", "gcp-nw-analytics"], ["Client portfolios and holdings", "Suitability assessments"], ["Virtualisation and Hosting", "Data and Analytics"], "Discretionary and advisory portfolio management."),
    ("Trading and Settlement", "wealth", 1, "333", "Trading & Settlement", ["Order Management System", "Bloomberg Terminal", "lon-db-wealth01"], ["Trade orders and executions", "Market data"], ["Wealth Portfolio Management", "Payments"], "Order routing, execution and settlement."),
    ("Policy Administration", "insurance", 2, "322", "Underwriting", ["Policy Administration", "lon-db-policy01", "lon-legacy01"], ["Policy records", "Legacy policy archive"], ["Virtualisation and Hosting"], "Quotes, policies, renewals and endorsements."),
    ("Claims Handling", "insurance", 2, "322", "Claims", ["Claims Management", "lon-app-claims01", "lon-app-claims02", "lon-db-claims01", "azure-nw-prod", "lon-mft02", "registry.northwind-mutual.example/northwind/claims-api:5.0.2"], ["Claims files", "Broker and reinsurer exchanges"], ["Policy Administration", "Payments"], "First notice of loss to settlement."),
    ("Health Insurance Claims", "insurance", 2, "332", "Health Insurance", ["Health Claims Portal", "lon-db-health01", "lon-waf01"], ["Health claims and medical records"], ["Claims Handling"], "Health and expatriate medical claims."),
    ("Financial Reporting and Close", "group", 2, "331", "Finance", ["SAP ERP Finance", "lon-sap01", "lon-db-erp01", "Regulatory Reporting"], ["General ledger", "Financial statements before release", "Regulatory returns", "Actuarial reserving models"], ["Core Banking", "Data and Analytics"], "Month-end close, statutory and regulatory reporting."),
    ("Payroll and HR", "group", 3, "322", "Human Resources", ["Workday", "lon-db-hr01"], ["Employee records", "Payroll"], ["Identity and Access Management"], "Hiring, payroll and people records."),
    ("Procurement and Supplier Management", "group", 4, "221", "Finance", ["Procurement", "Coupa", "DocuSign", "lon-ebs01"], ["Supplier contracts"], ["Financial Reporting and Close"], "Purchasing and third-party management."),
    ("Corporate Website", "group", 4, "121", "Digital Banking", ["lon-web05", "Cloudflare WAF"], ["Public website content"], [], "Public website and product information."),
    ("Board and Governance", "group", 3, "321", "Legal & Compliance", ["Microsoft 365", "DocuSign"], ["Board minutes"], ["Email and Collaboration"], "Board packs, minutes and approvals."),
]  # fmt: skip

RTO_RPO = {1: (4, 1), 2: (12, 4), 3: (24, 12), 4: (72, 24)}


def _heads(people: list[PersonRec]) -> dict[str, str]:
    """Department -> employee id of its most senior active member (the first one listed)."""
    heads: dict[str, str] = {}
    for p in people:
        if p.status == "active":
            heads.setdefault(p.department, p.employee_id)
    return heads


def generate_data_assets(people: list[PersonRec]) -> list[DataRec]:
    heads = _heads(people)
    result = []
    for name, unit, cls, flags, records, cia, owner, systems, regs, desc in DATA:
        result.append(
            DataRec(
                name=name,
                business_unit=unit,
                description=desc,
                classification=cls,
                record_count=records,
                confidentiality=int(cia[0]),
                integrity=int(cia[1]),
                availability=int(cia[2]),
                systems=list(systems),
                regulations=list(regs),
                owner=heads[owner],
                personal_data="p" in flags,
                special_category_data="s" in flags,
                health_data="h" in flags,
                cardholder_data="c" in flags,
            )
        )
    return result


def generate_services(people: list[PersonRec]) -> list[ServiceRec]:
    heads = _heads(people)
    result = []
    for name, unit, tier, cia, owner, systems, data, upstream, desc in SERVICES:
        rto, rpo = RTO_RPO[tier]
        result.append(
            ServiceRec(
                name=name,
                business_unit=unit,
                description=desc,
                criticality=5 - tier,
                rto_hours=rto,
                rpo_hours=rpo,
                confidentiality=int(cia[0]),
                integrity=int(cia[1]),
                availability=int(cia[2]),
                owner=heads[owner],
                systems=list(systems),
                data_assets=list(data),
                services=list(upstream),
            )
        )
    return result
