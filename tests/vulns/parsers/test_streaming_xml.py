"""Memory stays flat with file size for the streamed XML formats (.nessus, OpenVAS, ZAP)."""

from __future__ import annotations

import io
import tracemalloc

import pytest

from ramparts.vulns.parsers import nessus_xml, openvas_xml, zap

ITEM = (
    b'<ReportItem port="443" svc_name="www" protocol="tcp" severity="2" pluginID="%d" pluginName="Plugin %d" '
    b'pluginFamily="General"><description>' + b"A description line.\n" * 40 + b"</description>"
    b"<cve>CVE-2020-0001</cve><cvss3_vector>CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N</cvss3_vector>"
    b"<plugin_output>" + b"output " * 100 + b"</plugin_output></ReportItem>"
)
RESULT = (
    b'<result id="r%d"><host>10.0.%d.1</host><port>%d/tcp</port><nvt oid="1.3.6.%d"><name>NVT</name>'
    b"<tags>summary=" + b"s" * 500 + b"</tags></nvt><threat>Medium</threat><severity>5.0</severity>"
    b"<description>" + b"d" * 1500 + b"</description></result>"
)
ALERT = (
    b"<alertitem><pluginid>%d</pluginid><name>Alert</name><riskcode>2</riskcode><desc>" + b"x" * 800 + b"</desc>"
    b"<instances>" + b"<instance><uri>http://h/p%d</uri><method>GET</method><param>q</param></instance>" * 4
    + b"</instances></alertitem>"
)  # fmt: skip


def nessus(n: int) -> bytes:
    hosts = b"".join(
        b'<ReportHost name="h%d"><HostProperties><tag name="host-ip">10.0.0.1</tag></HostProperties>' % h
        + b"".join(ITEM % (i, i) for i in range(100))
        + b"</ReportHost>"
        for h in range(n // 100)
    )
    return b"<NessusClientData_v2><Report name='r'>" + hosts + b"</Report></NessusClientData_v2>"


def openvas(n: int) -> bytes:
    rows = b"".join(RESULT % (i, i % 250, i % 60000, i) for i in range(n))
    return b"<report id='x'><report><results>" + rows + b"</results></report></report>"


def zap_xml(n: int) -> bytes:
    alerts = b"".join(ALERT % ((i,) + (i,) * 4) for i in range(n))
    return (
        b"<OWASPZAPReport version='2'><site name='http://h' host='h' port='80'><alerts>"
        + alerts
        + b"</alerts></site></OWASPZAPReport>"
    )


def peak(parse, data: bytes) -> tuple[int, int]:
    stream = io.BytesIO(data)
    tracemalloc.start()
    try:
        count = sum(1 for _ in parse(stream, source="big"))
        return count, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    ("parse", "make", "small", "large"),
    [
        (nessus_xml.parse, nessus, 400, 1600),
        (openvas_xml.parse, openvas, 400, 1600),
        (zap.parse_xml, zap_xml, 800, 3200),
    ],
    ids=["nessus", "openvas", "zap"],
)
def test_memory_does_not_grow_with_file_size(parse, make, small, large):
    small_data, large_data = make(small), make(large)
    assert len(large_data) > 3.9 * len(small_data)
    n_small, peak_small = peak(parse, small_data)
    n_large, peak_large = peak(parse, large_data)
    assert n_large == 4 * n_small
    # 4x the file, but the parser's own peak stays about the same (input bytes are not traced; each
    # size is above the 256 KiB read chunk, whose events are buffered)
    assert peak_large < 1.25 * peak_small + 256 * 1024, (peak_small, peak_large)
