"""The industry-chain page (产业链)."""
