"""Vigie's Streamlit dashboards; they read only the published serving snapshot."""
