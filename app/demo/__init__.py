"""Demo data for trying SquadDesk without real records (``squaddesk-cli demo``)."""

from app.demo.generator import DemoSize, DemoSummary, build_demo

__all__ = ["DemoSize", "DemoSummary", "build_demo"]
