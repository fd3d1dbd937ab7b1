"""One module per platform, each implementing flexhub.channels.adapter.ChannelAdapter."""
