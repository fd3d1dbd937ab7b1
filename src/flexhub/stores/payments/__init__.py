"""Payment gateways a store sale is paid through: WeChat Pay API v3 (JSAPI and H5 prepay, signed notifications,
refunds), each a pure protocol module building requests and reading answers; the sender does the I/O."""
