/* PLACEHOLDER: the ui helper writes the editor script. */
