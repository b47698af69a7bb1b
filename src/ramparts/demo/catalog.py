"""Real products the demo estate runs, with CPE 2.3 names as the NVD dictionary spells them.

Some versions are deliberately old ones with known exploited vulnerabilities (Citrix Bleed,
Confluence CVE-2023-22515, MOVEit, Log4Shell, ...), so that threat-intelligence matching against
the CISA KEV catalogue has something to find in the demo.
"""

# ruff: noqa: E501 -- tables of demo data read best one record per line.

from dataclasses import dataclass


@dataclass(frozen=True)
class Product:
    vendor: str
    product: str
    version: str
    cpe: str = ""


def _p(vendor: str, product: str, version: str, cpe: str = "") -> Product:
    return Product(vendor, product, version, cpe)


# fmt: off
# Operating systems of servers and workstations.
WINDOWS_SERVER_2022 = _p("Microsoft", "Windows Server 2022", "21H2", "cpe:2.3:o:microsoft:windows_server_2022:-:*:*:*:*:*:*:*")
WINDOWS_SERVER_2019 = _p("Microsoft", "Windows Server 2019", "1809", "cpe:2.3:o:microsoft:windows_server_2019:-:*:*:*:*:*:*:*")
WINDOWS_SERVER_2012 = _p("Microsoft", "Windows Server 2012 R2", "6.3", "cpe:2.3:o:microsoft:windows_server_2012:r2:*:*:*:*:*:*:*")
RHEL_9 = _p("Red Hat", "Enterprise Linux", "9.2", "cpe:2.3:o:redhat:enterprise_linux:9.2:*:*:*:*:*:*:*")
RHEL_8 = _p("Red Hat", "Enterprise Linux", "8.8", "cpe:2.3:o:redhat:enterprise_linux:8.8:*:*:*:*:*:*:*")
UBUNTU_2204 = _p("Canonical", "Ubuntu Linux", "22.04 LTS", "cpe:2.3:o:canonical:ubuntu_linux:22.04:*:*:*:lts:*:*:*")
UBUNTU_2004 = _p("Canonical", "Ubuntu Linux", "20.04 LTS", "cpe:2.3:o:canonical:ubuntu_linux:20.04:*:*:*:lts:*:*:*")
WINDOWS_11 = _p("Microsoft", "Windows 11 23H2", "10.0.22631", "cpe:2.3:o:microsoft:windows_11_23h2:10.0.22631.2861:*:*:*:*:*:x64:*")
WINDOWS_10 = _p("Microsoft", "Windows 10 22H2", "10.0.19045", "cpe:2.3:o:microsoft:windows_10_22h2:10.0.19045.3803:*:*:*:*:*:x64:*")
MACOS = _p("Apple", "macOS Sonoma", "14.2", "cpe:2.3:o:apple:macos:14.2:*:*:*:*:*:*:*")
ESXI = _p("VMware", "ESXi", "7.0 Update 3", "cpe:2.3:o:vmware:esxi:7.0:update_3:*:*:*:*:*:*")
ESXI_8 = _p("VMware", "ESXi", "8.0 Update 2", "cpe:2.3:o:vmware:esxi:8.0:update_2:*:*:*:*:*:*")
IOS_17 = _p("Apple", "iOS", "17.2", "cpe:2.3:o:apple:iphone_os:17.2:*:*:*:*:*:*:*")
ANDROID_14 = _p("Google", "Android", "14.0", "cpe:2.3:o:google:android:14.0:*:*:*:*:*:*:*")

# Network and remote-access devices.
FORTIOS = _p("Fortinet", "FortiOS", "7.2.4", "cpe:2.3:o:fortinet:fortios:7.2.4:*:*:*:*:*:*:*")
FORTIOS_NEW = _p("Fortinet", "FortiOS", "7.4.2", "cpe:2.3:o:fortinet:fortios:7.4.2:*:*:*:*:*:*:*")
PANOS = _p("Palo Alto Networks", "PAN-OS", "10.2.8", "cpe:2.3:o:paloaltonetworks:pan-os:10.2.8:*:*:*:*:*:*:*")
IOS_XE = _p("Cisco", "IOS XE", "17.9.3", "cpe:2.3:o:cisco:ios_xe:17.9.3:*:*:*:*:*:*:*")
NXOS = _p("Cisco", "NX-OS", "10.2(5)", "cpe:2.3:o:cisco:nx-os:10.2\\(5\\):*:*:*:*:*:*:*")
ASA = _p("Cisco", "Adaptive Security Appliance", "9.16.4", "cpe:2.3:a:cisco:adaptive_security_appliance_software:9.16.4:*:*:*:*:*:*:*")
NETSCALER = _p("Citrix", "NetScaler ADC", "13.1-49.13", "cpe:2.3:a:citrix:netscaler_application_delivery_controller:13.1-49.13:*:*:*:*:*:*:*")
NETSCALER_GW = _p("Citrix", "NetScaler Gateway", "13.1-49.13", "cpe:2.3:a:citrix:netscaler_gateway:13.1-49.13:*:*:*:*:*:*:*")
IVANTI_ICS = _p("Ivanti", "Connect Secure", "22.3R1", "cpe:2.3:a:ivanti:connect_secure:22.3:r1:*:*:*:*:*:*")
BIGIP = _p("F5", "BIG-IP Local Traffic Manager", "17.1.0", "cpe:2.3:a:f5:big-ip_local_traffic_manager:17.1.0:*:*:*:*:*:*:*")
JUNOS = _p("Juniper Networks", "Junos OS", "22.4R2", "cpe:2.3:o:juniper:junos:22.4:r2:*:*:*:*:*:*")
ARUBAOS = _p("HPE Aruba Networking", "ArubaOS", "8.10.0.7", "cpe:2.3:o:arubanetworks:arubaos:8.10.0.7:*:*:*:*:*:*:*")
SONICOS = _p("SonicWall", "SonicOS", "7.0.1-5111", "cpe:2.3:o:sonicwall:sonicos:7.0.1-5111:*:*:*:*:*:*:*")

# Web, application and integration servers.
APACHE_HTTPD = _p("Apache", "HTTP Server", "2.4.58", "cpe:2.3:a:apache:http_server:2.4.58:*:*:*:*:*:*:*")
APACHE_HTTPD_OLD = _p("Apache", "HTTP Server", "2.4.49", "cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*")
NGINX = _p("F5", "NGINX", "1.24.0", "cpe:2.3:a:f5:nginx:1.24.0:*:*:*:open_source:*:*:*")
IIS = _p("Microsoft", "Internet Information Services", "10.0", "cpe:2.3:a:microsoft:internet_information_services:10.0:*:*:*:*:*:*:*")
TOMCAT = _p("Apache", "Tomcat", "9.0.83", "cpe:2.3:a:apache:tomcat:9.0.83:*:*:*:*:*:*:*")
WEBLOGIC = _p("Oracle", "WebLogic Server", "12.2.1.4.0", "cpe:2.3:a:oracle:weblogic_server:12.2.1.4.0:*:*:*:*:*:*:*")
ACTIVEMQ = _p("Apache", "ActiveMQ", "5.17.5", "cpe:2.3:a:apache:activemq:5.17.5:*:*:*:*:*:*:*")
LOG4J = _p("Apache", "Log4j", "2.14.1", "cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*")
KAFKA = _p("Apache", "Kafka", "3.6.0", "cpe:2.3:a:apache:kafka:3.6.0:*:*:*:*:*:*:*")
EXCHANGE = _p("Microsoft", "Exchange Server 2019", "CU12", "cpe:2.3:a:microsoft:exchange_server:2019:cumulative_update_12:*:*:*:*:*:*")
SHAREPOINT = _p("Microsoft", "SharePoint Server 2019", "16.0.10406", "cpe:2.3:a:microsoft:sharepoint_server:2019:*:*:*:*:*:*:*")
CONFLUENCE = _p("Atlassian", "Confluence Data Center", "8.5.1", "cpe:2.3:a:atlassian:confluence_data_center:8.5.1:*:*:*:*:*:*:*")
JIRA = _p("Atlassian", "Jira Software Data Center", "9.12.1", "cpe:2.3:a:atlassian:jira_software_data_center:9.12.1:*:*:*:*:*:*:*")
BITBUCKET = _p("Atlassian", "Bitbucket Data Center", "8.9.5", "cpe:2.3:a:atlassian:bitbucket_data_center:8.9.5:*:*:*:*:*:*:*")
GITLAB = _p("GitLab", "GitLab Community Edition", "16.6.1", "cpe:2.3:a:gitlab:gitlab:16.6.1:*:*:*:community:*:*:*")
JENKINS = _p("Jenkins", "Jenkins LTS", "2.426.1", "cpe:2.3:a:jenkins:jenkins:2.426.1:*:*:*:lts:*:*:*")
TEAMCITY = _p("JetBrains", "TeamCity", "2023.05.3", "cpe:2.3:a:jetbrains:teamcity:2023.05.3:*:*:*:*:*:*:*")
MOVEIT = _p("Progress", "MOVEit Transfer", "2023.0.1", "cpe:2.3:a:progress:moveit_transfer:2023.0.1:*:*:*:*:*:*:*")
GOANYWHERE = _p("Fortra", "GoAnywhere MFT", "7.1.1", "cpe:2.3:a:fortra:goanywhere_managed_file_transfer:7.1.1:*:*:*:*:*:*:*")
PAPERCUT = _p("PaperCut", "PaperCut MF", "22.0.5", "cpe:2.3:a:papercut:papercut_mf:22.0.5:*:*:*:*:*:*:*")
SCREENCONNECT = _p("ConnectWise", "ScreenConnect", "23.9.7", "cpe:2.3:a:connectwise:screenconnect:23.9.7:*:*:*:*:*:*:*")
CITRIX_VAD = _p("Citrix", "Virtual Apps and Desktops", "2203 LTSR", "cpe:2.3:a:citrix:virtual_apps_and_desktops:2203:*:*:*:ltsr:*:*:*")
VCENTER = _p("VMware", "vCenter Server", "7.0 Update 3", "cpe:2.3:a:vmware:vcenter_server:7.0:update_3:*:*:*:*:*:*")
SAP_NETWEAVER = _p("SAP", "NetWeaver AS ABAP", "7.50", "cpe:2.3:a:sap:netweaver_application_server_abap:7.50:*:*:*:*:*:*:*")
ORACLE_EBS = _p("Oracle", "E-Business Suite", "12.2.12", "cpe:2.3:a:oracle:e-business_suite:12.2.12:*:*:*:*:*:*:*")
KUBERNETES = _p("Kubernetes", "Kubernetes", "1.28.4", "cpe:2.3:a:kubernetes:kubernetes:1.28.4:*:*:*:*:*:*:*")
VAULT = _p("HashiCorp", "Vault", "1.15.2", "cpe:2.3:a:hashicorp:vault:1.15.2:*:*:*:*:*:*:*")
KEYCLOAK = _p("Red Hat", "Keycloak", "22.0.5", "cpe:2.3:a:redhat:keycloak:22.0.5:*:*:*:*:*:*:*")
ACTIVE_DIRECTORY = _p("Microsoft", "Active Directory Domain Services", "2019", "cpe:2.3:o:microsoft:windows_server_2019:-:*:*:*:*:*:*:*")
OPENSSH = _p("OpenBSD", "OpenSSH", "9.3p1", "cpe:2.3:a:openbsd:openssh:9.3:p1:*:*:*:*:*:*")

# Databases.
POSTGRES = _p("PostgreSQL", "PostgreSQL", "15.5", "cpe:2.3:a:postgresql:postgresql:15.5:*:*:*:*:*:*:*")
POSTGRES_OLD = _p("PostgreSQL", "PostgreSQL", "11.22", "cpe:2.3:a:postgresql:postgresql:11.22:*:*:*:*:*:*:*")
MSSQL = _p("Microsoft", "SQL Server 2019", "15.0.4345", "cpe:2.3:a:microsoft:sql_server:2019:*:*:*:*:*:*:*")
ORACLE_DB = _p("Oracle", "Database Server", "19c", "cpe:2.3:a:oracle:database_server:19c:*:*:*:enterprise:*:*:*")
MYSQL = _p("Oracle", "MySQL", "8.0.35", "cpe:2.3:a:oracle:mysql:8.0.35:*:*:*:*:*:*:*")
MONGODB = _p("MongoDB", "MongoDB", "6.0.12", "cpe:2.3:a:mongodb:mongodb:6.0.12:*:*:*:*:*:*:*")
REDIS = _p("Redis", "Redis", "7.2.3", "cpe:2.3:a:redis:redis:7.2.3:*:*:*:*:*:*:*")
ELASTICSEARCH = _p("Elastic", "Elasticsearch", "8.11.1", "cpe:2.3:a:elastic:elasticsearch:8.11.1:*:*:*:*:*:*:*")

# Security tools.
FALCON = _p("CrowdStrike", "Falcon sensor", "7.10", "cpe:2.3:a:crowdstrike:falcon:7.10:*:*:*:*:*:*:*")
SPLUNK = _p("Splunk", "Splunk Enterprise", "9.1.2", "cpe:2.3:a:splunk:splunk:9.1.2:*:*:*:enterprise:*:*:*")
NESSUS = _p("Tenable", "Nessus", "10.6.4", "cpe:2.3:a:tenable:nessus:10.6.4:*:*:*:*:*:*:*")
VEEAM = _p("Veeam", "Backup & Replication", "12.0.0.1420", "cpe:2.3:a:veeam:backup_\\&_replication:12.0.0.1420:*:*:*:*:*:*:*")
CYBERARK = _p("CyberArk", "Privileged Access Manager", "13.2", "cpe:2.3:a:cyberark:privileged_access_manager:13.2:*:*:*:self-hosted:*:*:*")
FORTIWEB = _p("Fortinet", "FortiWeb", "7.2.5", "cpe:2.3:a:fortinet:fortiweb:7.2.5:*:*:*:*:*:*:*")
DUO = _p("Cisco", "Duo Authentication Proxy", "6.2.0", "cpe:2.3:a:cisco:duo_authentication_proxy:6.2.0:*:*:*:*:*:*:*")
PROOFPOINT = _p("Proofpoint", "Email Protection", "8.20", "cpe:2.3:a:proofpoint:enterprise_protection:8.20:*:*:*:*:*:*:*")
WAZUH = _p("Wazuh", "Wazuh", "4.7.1", "cpe:2.3:a:wazuh:wazuh:4.7.1:*:*:*:*:*:*:*")

# OT and building systems.
SIMATIC = _p("Siemens", "SIMATIC S7-1500 CPU firmware", "2.9.4", "cpe:2.3:o:siemens:simatic_s7-1500_cpu_firmware:2.9.4:*:*:*:*:*:*:*")
DESIGO = _p("Siemens", "Desigo CC", "6.0", "cpe:2.3:a:siemens:desigo_cc:6.0:*:*:*:*:*:*:*")
METASYS = _p("Johnson Controls", "Metasys ADS/ADX server", "12.0", "cpe:2.3:a:johnsoncontrols:metasys_application_and_data_server:12.0:*:*:*:*:*:*:*")
AXIS = _p("Axis Communications", "AXIS OS", "11.7.57", "cpe:2.3:o:axis:axis_os:11.7.57:*:*:*:*:*:*:*")
HIKVISION = _p("Hikvision", "DS-2CD2142FWD-I firmware", "5.5.0", "cpe:2.3:o:hikvision:ds-2cd2142fwd-i_firmware:5.5.0:*:*:*:*:*:*:*")
APC_NMC = _p("Schneider Electric", "APC Network Management Card 2", "7.0.6", "cpe:2.3:o:schneider-electric:network_management_card_2_firmware:7.0.6:*:*:*:*:*:*:*")
LENEL = _p("LenelS2", "OnGuard", "8.1", "cpe:2.3:a:carrier:lenels2_onguard:8.1:*:*:*:*:*:*:*")
VERTIV = _p("Vertiv", "Liebert IntelliSlot", "7.1.0", "cpe:2.3:o:vertiv:intellislot_unity_firmware:7.1.0:*:*:*:*:*:*:*")

# Languages and base images (container images carry their main component's CPE).
PYTHON = _p("Python", "CPython", "3.12.1", "cpe:2.3:a:python:python:3.12.1:*:*:*:*:*:*:*")
NODE = _p("Node.js", "Node.js", "20.10.0", "cpe:2.3:a:nodejs:node.js:20.10.0:*:*:*:lts:*:*:*")
OPENJDK = _p("Oracle", "OpenJDK", "17.0.9", "cpe:2.3:a:oracle:openjdk:17.0.9:*:*:*:*:*:*:*")
DOTNET = _p("Microsoft", ".NET", "8.0.0", "cpe:2.3:a:microsoft:.net:8.0.0:*:*:*:*:*:*:*")
ALPINE = _p("Alpine Linux", "Alpine Linux", "3.19.0", "cpe:2.3:o:alpinelinux:alpine_linux:3.19.0:*:*:*:*:*:*:*")
SPRING = _p("VMware", "Spring Boot", "3.2.0", "cpe:2.3:a:vmware:spring_boot:3.2.0:*:*:*:*:*:*:*")

# SaaS and cloud: vendor and product, no CPE (the vendor runs the software, not us).
M365 = _p("Microsoft", "Microsoft 365 E5", "")
ENTRA = _p("Microsoft", "Entra ID P2", "")
OKTA = _p("Okta", "Workforce Identity Cloud", "")
SALESFORCE = _p("Salesforce", "Financial Services Cloud", "")
WORKDAY = _p("Workday", "Workday HCM", "")
SERVICENOW = _p("ServiceNow", "IT Service Management", "")
SLACK = _p("Salesforce", "Slack Enterprise Grid", "")
ZOOM = _p("Zoom", "Zoom Workplace", "6.0.2", "cpe:2.3:a:zoom:meetings:6.0.2:*:*:*:*:*:*:*")
DOCUSIGN = _p("DocuSign", "eSignature", "")
GITHUB_CLOUD = _p("GitHub", "GitHub Enterprise Cloud", "")
ZSCALER = _p("Zscaler", "Zscaler Internet Access", "")
MIMECAST = _p("Mimecast", "Email Security", "")
CLOUDFLARE = _p("Cloudflare", "Web Application Firewall", "")
SENTINEL = _p("Microsoft", "Sentinel", "")
DEFENDER = _p("Microsoft", "Defender for Endpoint", "")
KNOWBE4 = _p("KnowBe4", "Security Awareness Training", "")
COUPA = _p("Coupa", "Business Spend Management", "")
BLOOMBERG = _p("Bloomberg", "Terminal", "")
AWS = _p("Amazon Web Services", "AWS account", "")
AZURE = _p("Microsoft", "Azure subscription", "")
GCP = _p("Google", "Google Cloud project", "")
GITHUB_REPO = _p("GitHub", "Repository", "")
