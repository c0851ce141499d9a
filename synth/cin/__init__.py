"""Children in need of a synthetic organisation: the front door and CIN work as simulated lives
(`synth.cin.model` dataclasses, `synth.cin.journeys.simulate_cin`) and the CIN census XML cut from them
(`synth.cin.census.write_cin_exports`)."""
