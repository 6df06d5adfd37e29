"""Tables, repositories, the key ring, JWT, QR codes and the verify page."""
