"""The demo organisation, and scale data for benchmarks."""

from oppmarket.demo.generator import DemoOrganisation, DemoSummary, Progress, generate, load_demo

__all__ = ["DemoOrganisation", "DemoSummary", "Progress", "generate", "load_demo"]
