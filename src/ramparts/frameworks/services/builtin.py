"""The built-in frameworks: NIST CSF 2.0, from the project's own data file."""

from importlib import resources

from ramparts.frameworks.models import Framework

BUILTIN_CSF_FILE = "nist-csf-2.0.yaml"
BUILTIN_CSF_SLUG = "nist-cybersecurity-framework-2-0"


def builtin_csf_bytes() -> bytes:
    return resources.files("ramparts.frameworks").joinpath("data", BUILTIN_CSF_FILE).read_bytes()


def builtin_install(*, actor=None) -> Framework:
    """Install CSF 2.0 once; later calls return the installed framework unchanged."""
    from ramparts.frameworks.services.imports import framework_import

    existing = Framework.objects.filter(built_in=True, slug=BUILTIN_CSF_SLUG).first()
    if existing:
        return existing
    return framework_import(actor=actor, name=BUILTIN_CSF_FILE, data=builtin_csf_bytes(), built_in=True).framework
