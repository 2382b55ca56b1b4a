"""Common given names and surnames of the countries our clients are in (EN, DE, FR, ES, IT, NL),
plus frequent international ones and nicknames.

A small NER model misses names in tables, all-caps headers, lowercase chat and non-English text;
a name list finds them there. It is used with guards (names.py): a listed given name next to a
capitalised word, or a listed surname after a listed given name, a title or a role label. Words
that are also ordinary words in one of the languages ("May", "Rose", "Will", "Grace", "Bill",
"Mark", "Hope", "Lara" ...) are in AMBIGUOUS and count only next to another name word.
"""

from __future__ import annotations

GIVEN = frozenset(w.lower() for w in """
James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew
Anthony Mark Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward Jason
Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel
Gregory Alexander Frank Patrick Raymond Jack Dennis Jerry Tyler Aaron Jose Adam Nathan Henry Douglas
Zachary Peter Kyle Ethan Walter Noah Jeremy Christian Keith Roger Terry Gerald Harold Sean Austin Carl
Arthur Lawrence Dylan Jesse Jordan Bryan Billy Joe Bruce Gabriel Logan Albert Willie Alan Juan Wayne
Elijah Randy Roy Vincent Ralph Eugene Russell Bobby Mason Philip Louis Oliver Harry Charlie Alfie
Freddie Archie Leo Oscar Theo Arlo Liam Lucas Owen Callum Connor Declan Niamh Siobhan Aoife Ciara
Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Margaret
Sandra Ashley Kimberly Emily Donna Michelle Carol Amanda Dorothy Melissa Deborah Stephanie Rebecca
Sharon Laura Cynthia Kathleen Amy Angela Shirley Anna Brenda Pamela Emma Nicole Helen Samantha
Katherine Christine Debra Rachel Carolyn Janet Catherine Maria Heather Diane Ruth Julie Olivia Joyce
Virginia Victoria Kelly Lauren Christina Joan Evelyn Judith Megan Andrea Cheryl Hannah Jacqueline
Martha Gloria Teresa Ann Sara Madison Frances Kathryn Janice Jean Abigail Alice Judy Sophia Denise
Beverly Danielle Theresa Marilyn Diana Natalie Brittany Charlotte Marie Kayla Alexis Lori Amelia Isla
Ava Mia Isabella Poppy Freya Evie Ella Sophie Chloe Lucy Jessica Eleanor Harriet Imogen Georgina
Gwen Bethan Rhys Dafydd Eilidh Morag Fiona Ailsa Hamish Angus
Thomas Lukas Leon Finn Jonas Maximilian Felix Elias Paul Ben Luis Luca Niklas Tim Jan Moritz Julian
Philipp Tobias Florian Sebastian Stefan Andreas Markus Matthias Christian Michael Alexander Daniel
Martin Jürgen Juergen Klaus Wolfgang Dieter Günter Guenter Horst Uwe Manfred Helmut Gerhard Bernd
Rainer Karl Heinz Hans Werner Frank Ralf Holger Jörg Joerg Torsten Dirk Sven Kai Lars Björn Bjoern
Jens Volker Ulrich Hartmut Reinhard Rolf Dietmar Detlef Egon Otto Fritz Kurt Wilhelm Friedrich
Heinrich Hermann Ernst Walter Gustav Ludwig Konrad Anke Heike Birgit Sabine Petra Monika Gabriele
Ursula Renate Ingrid Gisela Helga Erika Brigitte Karin Elke Silke Susanne Andrea Claudia Nicole
Stefanie Katrin Kathrin Melanie Sandra Tanja Jana Julia Laura Lea Lena Leonie Lina Hanna Mila Emilia
Marie Sophie Luisa Clara Ida Greta Frieda Mathilda Charlotte Johanna Annika Franziska Carina Christa
Hildegard Irmgard Gertrud Liselotte Margarete Waltraud Ilse Elfriede Dagmar Jutta Bärbel Baerbel
Marlene Luise Paula Emilie Helene Amelie Nele Maja Jannik Jannis Malte Henrik Ole Mats Janne Fynn
Jean Pierre Michel André Andre Philippe Alain Jacques Bernard Christophe Nicolas Patrick Éric Eric
Frédéric Frederic Laurent Stéphane Stephane Olivier Sébastien Sebastien Julien Thierry Pascal Didier
Hugues Gilles Yves Denis Guillaume Antoine Maxime Mathieu Matthieu Romain Vincent Benoît Benoit
Clément Clement Hugo Théo Theo Louis Gabriel Raphaël Raphael Jules Arthur Adam Nathan Enzo Mathis
Noé Baptiste Quentin Florian Kévin Kevin Jérôme Jerome Franck Thibault Arnaud Cédric Cedric Xavier
Marie Nathalie Isabelle Sylvie Catherine Françoise Francoise Martine Christine Monique Nicole Valérie
Valerie Sandrine Sophie Céline Celine Véronique Veronique Chantal Stéphanie Stephanie Sandra Aurélie
Aurelie Camille Léa Lea Manon Chloé Chloe Emma Inès Ines Jade Louise Alice Lina Juliette Margaux
Océane Oceane Pauline Mathilde Élodie Elodie Delphine Émilie Emilie Brigitte Danielle Jacqueline
Geneviève Genevieve Josiane Ginette Odile Agnès Agnes Hélène Helene Claire Anne Annick Solène Solene
Gaëlle Gaelle Maëlle Maelle Clémence Clemence Élise Elise Éloïse Eloise Capucine Apolline Héloïse
Antonio José Manuel Francisco David Juan Javier Daniel Carlos Jesús Jesus Alejandro Miguel Rafael
Pedro Pablo Ángel Angel Sergio Fernando Jorge Luis Alberto Álvaro Alvaro Diego Adrián Adrian Raúl Raul
Enrique Ramón Ramon Vicente Andrés Andres Joaquín Joaquin Santiago Víctor Victor Rubén Ruben Óscar
Oscar Iván Ivan Mario Ignacio Jaime Gonzalo Hugo Marcos Alfonso Salvador Emilio Guillermo Mateo
Martín Martin Lucas Leo Iker Unai Aitor Gorka Jordi Pau Xavier Oriol Marc Nuria Montserrat Montse
María Maria Carmen Josefa Isabel Ana Dolores Pilar Teresa Rosa Francisca Antonia Mercedes Lucía Lucia
Laura Cristina Marta Elena Manuela Concepción Concepcion Raquel Sara Paula Rocío Rocio Beatriz Sonia
Silvia Patricia Encarnación Encarnacion Inmaculada Alba Irene Andrea Julia Noelia Nerea Ainhoa
Itziar Amaia Leire Begoña Begona Lorena Natalia Verónica Veronica Alicia Inés Ines Yolanda Susana
Eva Claudia Valeria Daniela Sofía Sofia Martina Jimena Ximena Lola Carla Alejandra Guadalupe Luz
Marco Alessandro Giuseppe Francesco Antonio Giovanni Mario Luigi Roberto Stefano Andrea Paolo Luca
Giorgio Sergio Fabio Massimo Claudio Maurizio Angelo Salvatore Vincenzo Domenico Carlo Franco Bruno
Pietro Raffaele Michele Enrico Riccardo Davide Simone Matteo Lorenzo Leonardo Tommaso Gabriele
Federico Filippo Edoardo Emanuele Daniele Alberto Giacomo Nicola Cristiano Gianluca Gianni Renato
Umberto Ugo Aldo Dario Fabrizio Alessio Mattia Samuele Diego Ettore Gino Piero Vittorio Cesare
Anna Maria Giuseppina Rosa Angela Giovanna Teresa Lucia Carmela Caterina Francesca Antonietta Carla
Elena Concetta Rita Margherita Franca Paola Laura Giulia Chiara Sara Martina Sofia Aurora Alice
Ginevra Emma Giorgia Beatrice Alessia Federica Silvia Valentina Elisa Roberta Simona Claudia Monica
Cristina Barbara Daniela Patrizia Raffaella Serena Ilaria Arianna Camilla Noemi Benedetta Ludovica
Rebecca Matilde Vittoria Bianca Gaia Greta Nicoletta Ornella Loredana Donatella Gabriella Graziella
Jan Johannes Hendrik Cornelis Willem Pieter Gerrit Jacobus Dirk Hans Kees Bram Daan Sem Lucas Levi
Finn Luuk Milan Jesse Thijs Ruben Lars Stijn Bas Tim Tom Niels Sander Joost Maarten Wouter Jeroen
Koen Bart Erik Rob Mark Frank Marco Martijn Ruud Arjen Jasper Sven Teun Gijs Mees Jens Floris Joris
Anna Maria Johanna Cornelia Elisabeth Wilhelmina Hendrika Geertruida Petronella Catharina Femke
Sanne Lotte Eva Emma Julia Sophie Tess Zoë Zoe Lisa Fleur Anouk Noa Mila Saar Fenna Lieke Iris Marit
Ilse Inge Ineke Marloes Marieke Annemieke Mirjam Esther Judith Ingrid Karin Monique Wendy Linda
Yvonne Astrid Brigitte Petra Renske Roos Maud Nienke Hanneke Janneke Anneke Joke Truus Riet Mien
Mohammed Muhammad Mohamed Ahmed Ali Omar Youssef Yusuf Ibrahim Hassan Hussein Mustafa Mehmet Ahmet
Fatima Aisha Ayesha Zainab Mariam Maryam Leila Layla Yasmin Nour Amira Khadija Salma Hana Elif Zeynep
Emre Burak Can Deniz Kemal Murat Priya Rahul Amit Sanjay Vijay Ravi Anil Sunil Deepak Arjun Rohan
Anjali Pooja Neha Sunita Lakshmi Aditi Kavya Wei Li Ming Jing Hui Yan Chen Xin Hiroshi Takeshi Kenji
Yuki Haruto Sakura Aiko Yuna Min-jun Ji-woo Seo-yeon Nguyen Minh Thi Anh Linh Kwame Kofi Ama Abena
Chinedu Chiamaka Olumide Adebayo Ngozi Oluwaseun Thabo Sipho Zanele Nomvula Dmitri Dmitry Sergei
Vladimir Ivan Olga Svetlana Natasha Tatiana Irina Ekaterina Piotr Krzysztof Tomasz Katarzyna
Agnieszka Małgorzata Malgorzata Joanna Magdalena Jakub Mateusz Bogdan Andrei Mihai Ioana Elena
Bob Bobby Rob Robbie Bill Billy Will Willy Liz Lizzie Beth Betsy Kate Katie Kathy Cathy Jim Jimmy
Jimbo Mike Mikey Dave Davey Steve Stevie Tony Tom Tommy Dick Rick Ricky Chuck Charlie Chris Matt
Nick Nicky Pat Patty Peggy Meg Maggie Sue Susie Jen Jenny Jenna Becky Vicky Nat Abby Gabby Sam Sammy
Alex Andy Danny Ed Eddie Ted Teddy Fred Freddy Hank Harry Jack Jake Joe Joey Johnny Jon Ken Kenny
Larry Len Lenny Les Max Mo Nate Ollie Pete Ron Ronnie Russ Stan Terry Tim Timmy Toby Vince Walt Wes
Zach Kiki Mimi Lulu Dani Pepe Paco Pili Lola Conchi Manolo Nacho Quique Chema Toni Beppe Peppe Gigi
Pippo Lele Sandro Ale Fede Jupp Sepp Hansi Uli Steffi Conny Babs Rike Kathi Mimmo Titti Loes Mies
Wim Henk Joop Sjaak Klaas Piet Jaap Cor Ria Toos Bep Ans Fien Jo Jos Sjors Manu Flo Jojo Lulu Coco
""".split())

SURNAMES = frozenset(w.lower() for w in """
Smith Johnson Williams Brown Jones Miller Davis Garcia Rodriguez Wilson Martinez Anderson Taylor
Thomas Hernandez Moore Martin Jackson Thompson White Lopez Lee Gonzalez Harris Clark Lewis Robinson
Walker Perez Hall Young Allen Sanchez Wright King Scott Green Baker Adams Nelson Hill Ramirez Campbell
Mitchell Roberts Carter Phillips Evans Turner Torres Parker Collins Edwards Stewart Flores Morris
Nguyen Murphy Rivera Cook Rogers Morgan Peterson Cooper Reed Bailey Bell Gomez Kelly Howard Ward Cox
Diaz Richardson Wood Watson Brooks Bennett Gray Grey James Reyes Cruz Hughes Price Myers Long Foster
Sanders Ross Morales Powell Sullivan Russell Ortiz Jenkins Gutierrez Perry Butler Barnes Fisher
Henderson Coleman Simmons Patterson Jordan Reynolds Hamilton Graham Kim Gonzales Alexander Ramos
Wallace Griffin West Cole Hayes Chavez Gibson Bryant Ellis Stevens Murray Ford Marshall Owens
McDonald Macdonald Harrison Ruiz Kennedy Wells Alvarez Woods Mendoza Castillo Olson Webb Washington
Tucker Freeman Burns Henry Vasquez Snyder Simpson Crawford Jimenez Porter Mason Shaw Gordon Wagner
Hunter Romero Hicks Dixon Hunt Palmer Robertson Black Holmes Stone Meyer Boyd Mills Warren Fox Rose
Rice Moreno Schmidt Patel Ferguson Nichols Herrera Medina Ryan Fernandez Weaver Daniels Stephens
Gardner Payne Kelley Dunn Pierce Arnold Tran Spencer Peters Hawkins Grant Hansen Castro Hoffman Hart
Elliott Cunningham Knight Bradley O'Brien Obrien O'Connor Oconnor O'Neill Oneill O'Sullivan Walsh
Byrne Doyle McCarthy Gallagher Doherty Kennedy Lynch Quinn Brennan Fitzgerald MacLeod McLeod Fraser
Stewart Wilkinson Hughes Davies Jones Lloyd Price Powell Morgan Griffiths Owen Pritchard Jenkins
Okafor Mensah Adeyemi Okonkwo Abara Boateng Asante Owusu Nkosi Dlamini Mokoena Khumalo Ndlovu
Chen Wang Li Zhang Liu Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Luo Tanaka Suzuki Sato
Takahashi Watanabe Ito Yamamoto Nakamura Kobayashi Kato Park Choi Jung Kang Cho Yoon Jang Lim Singh
Kumar Sharma Gupta Khan Shah Mehta Reddy Rao Iyer Nair Das Bose Chatterjee Mukherjee Banerjee Ali
Ahmed Hussain Rahman Haddad Khoury Nasser Saleh Hassan Aziz Yilmaz Kaya Demir Sahin Celik Yildiz
Ivanov Ivanova Petrov Petrova Smirnov Sokolov Popov Kuznetsov Volkov Novak Kowalski Kowalska
Nowak Wisniewski Wojcik Kaminski Lewandowski Zielinski Szymanski Varga Horvath Nagy Popescu Ionescu
Müller Mueller Schmidt Schneider Fischer Weber Meyer Meier Mayer Maier Wagner Becker Schulz Hoffmann
Schäfer Schaefer Koch Bauer Richter Klein Wolf Schröder Schroeder Neumann Schwarz Zimmermann Braun
Krüger Krueger Hofmann Hartmann Lange Schmitt Werner Schmitz Krause Meier Lehmann Schmid Schulze
Maier Köhler Koehler Herrmann König Koenig Walter Mayer Huber Kaiser Fuchs Peters Lang Scholz Möller
Moeller Weiß Weiss Jung Hahn Schubert Vogel Friedrich Keller Günther Guenther Frank Berger Winkler
Roth Beck Lorenz Baumann Franke Albrecht Schuster Simon Ludwig Böhm Boehm Winter Kraus Martin
Schumacher Krämer Kraemer Vogt Stein Jäger Jaeger Otto Sommer Groß Gross Seidel Heinrich Brandt
Haas Schreiber Graf Schulte Dietrich Ziegler Kuhn Kühn Kuehn Pohl Engel Horn Busch Bergmann Thomas
Voigt Sauer Arnold Wolff Pfeiffer Eckert Hess Lindner Hübner Huebner Kessler Vogel Ernst Brinkmann
Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre Michel
Garcia David Bertrand Roux Vincent Fournier Morel Girard Andre André Lefevre Lefèvre Mercier Dupont
Lambert Bonnet François Francois Martinez Legrand Garnier Faure Rousseau Blanc Guerin Guérin Muller
Henry Roussel Nicolas Perrin Morin Mathieu Clement Clément Gauthier Dumont Lopez Fontaine Chevalier
Robin Masson Sanchez Gerard Gérard Nguyen Boyer Denis Lemaire Duval Joly Gautier Roger Roche Roy
Noel Noël Meyer Lucas Meunier Jean Perez Marchand Dufour Blanchard Marie Barbier Brun Dumas Brunet
Schmitt Leroux Colin Fernandez Pierre Renard Arnaud Rolland Caron Aubert Giraud Leclerc Vidal
Bourgeois Renaud Lemoine Picard Gaillard Philippe Leclercq Lacroix Fabre Dupuis Olivier Rodriguez
Da Silva Hubert Louis Charles Guillot Riviere Rivière Le Gall Guillaume Adam Rey Moulin Gonzalez
Berger Lecomte Menard Ménard Fleury Deschamps Carpentier Julien Benoit Benoît Paris Maillard Marchal
Aubry Vasseur Le Roux Renault Jacquet Collet Prevost Prévost Poirier Charpentier Royer Huet Baron
Dupuy Pons Paul Laine Lainé Carre Carré Breton Remy Rémy Schneider Perrot Guyot Barre Barré Marty
Cousin Delacroix Delaunay Lebrun Lemaitre Lemaître Chevallier Ferrand Bouvier Delmas Besson
García Fernández González Rodríguez López Martínez Sánchez Pérez Gómez Martín Jiménez Ruiz Hernández
Díaz Moreno Muñoz Munoz Álvarez Romero Alonso Gutiérrez Navarro Torres Domínguez Dominguez Vázquez
Vazquez Ramos Gil Ramírez Serrano Blanco Molina Morales Suárez Suarez Ortega Delgado Castro Ortiz
Rubio Marín Marin Sanz Núñez Nunez Iglesias Medina Garrido Cortés Cortes Castillo Santos Lozano
Guerrero Cano Prieto Méndez Mendez Cruz Calvo Gallego Vidal León Leon Márquez Marquez Herrera Peña
Pena Flores Cabrera Campos Vega Fuentes Carrasco Diez Díez Caballero Reyes Nieto Aguilar Pascual
Santana Herrero Lorenzo Montero Hidalgo Giménez Gimenez Ibáñez Ibanez Ferrer Durán Duran Santiago
Benítez Benitez Mora Vicente Vargas Arias Carmona Crespo Román Roman Pastor Soto Sáez Saez Velasco
Moya Soler Parra Esteban Bravo Gallardo Rojas Pardo Merino Franco Espinosa Izquierdo Lara Rivas
Silva Rivera Casado Arroyo Redondo Camacho Rey Vera Otero Luque Galán Galan Montes Ríos Rios Sierra
Segura Carrillo Marcos Marti Martí Soriano Mendoza Robles Bernal Vila Quintero Sandoval Castellanos
Etxeberria Goikoetxea Aguirre Aguirre Urrutia Zubiri Puig Pujol Roca Serra Font Mas Ferrer Riera
Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti De Luca
Mancini Costa Giordano Rizzo Lombardi Moretti Barbieri Fontana Santoro Mariani Rinaldi Caruso
Ferrara Galli Martini Leone Longo Gentile Martinelli Vitale Lombardo Serra Coppola De Santis
D'Angelo Dangelo Marchetti Parisi Villa Conte Ferraro Ferri Fabbri Bianco Marini Grasso Valentini
Messina Sala De Angelis Gatti Pellegrini Palumbo Sanna Farina Rizzi Monti Cattaneo Morelli Amato
Silvestri Mazza Testa Grassi Pellegrino Carbone Giuliani Benedetti Barone Rossetti Caputo Montanari
Guerra Palmieri Bernardi Martino Fiore De Rosa Ferretti Bellini Basile Riva Donati Piras Vitali
Battaglia Sartori Neri Costantini Milani Pagano Ruggiero Sorrentino D'Amico Orlando Damico Negri
Bassi Marchi Esposito Cirillo Colonna Fumagalli Brambilla Sartori Zanetti Bonetti Moro Rota Ricci
De Jong Jansen De Vries Van den Berg Van Dijk Bakker Janssen Visser Smit Meijer De Boer Mulder
De Groot Bos Vos Peters Hendriks Van Leeuwen Dekker Brouwer De Wit Dijkstra Smits De Graaf Van der
Meer Van der Linden Kok Jacobs De Haan Vermeulen Van den Heuvel Van der Veen Van den Broek De Bruijn
De Bruin Van der Heijden Schouten Van Beek Willems Van Vliet Van de Ven Hoekstra Maas Verhoeven
Koster Van Dam Van der Wal Prins Blom Huisman Peeters Kuipers Van Wijk Van Veen Post Kuiper Veenstra
Kramer Van den Brink Scholten Van Wijngaarden Postma Martens Vink De Ruiter Timmermans Groen Gerritsen
Jonker Van Loon Boer Van der Velde Willemsen Smeets Lambrechts Brink Bosch Claes Maes Wouters
Goossens Dubois Lambert Mertens Leclercq Hermans Aerts Segers Desmet Verstraete Vandenberghe
Berg Dijk Leeuwen Heuvel Veen Broek Bruijn Heijden Beek Vliet Wijk Velde Meer Linden Hoek Visscher
Ferndale Ostrowski Whitfield Carrington Abernathy Lindqvist Johansson Andersson Karlsson Nilsson
Eriksson Larsson Olsen Hansen Nielsen Jensen Pedersen Christensen Andersen Sorensen Virtanen
Korhonen Novotny Dvorak Svoboda Horak Kovac Kovacs Toth Szabo Papadopoulos Georgiou Silva Santos
Ferreira Pereira Oliveira Costa Rodrigues Martins Jesus Sousa Fernandes Goncalves Gomes Lopes Marques
Alves Almeida Ribeiro Pinto Carvalho Teixeira Moreira Correia Mendes Nunes Soares Vieira Monteiro
""".split())

# Given names that are also common words in one of the six languages: never a name on their own.
AMBIGUOUS = frozenset("""
may june april august rose lily ivy hope faith grace joy will bill mark art bob rob sue pat ray
rich frank lane dean grant hunter carter mason cole hall young long king white black green brown
bell gray grey wood rice stone fox rose ford hill price cook baker page cash hart love day
jean roger louis marie paul pierre michel simon thomas martin henry lucas adam gil can deniz
rey mas font roca serra paris mora vega luz cruz santos leon leo blanc brun petit roy noel
moreno blanco rubio castro lara rosa dolores carmen angel paz sol mar pilar
bruno franco conte costa leone gallo greco neri testa villa bassi moro riva sala fiore monti
berg bos vos kok post groen blom prins maas brink boer bosch smit meer visser kuiper
post stein wolf lang jung hahn vogel beck roth graf engel horn busch sommer winter otto ernst
klein braun schwarz weiss weiß kaiser koch fuchs krause frank walter
li ma he hu sun lin lee kim park long wang das ali shah can ward
wells braden barthel apgar glasgow norton waterlow morse killip gleason karnofsky ranson alvarado
child pugh manchester parkinson crohn graves hodgkin addison cushing down hashimoto alzheimer
""".split())

TITLES = frozenset("""mr mrs ms miss mx dr prof sir dame herr frau hr fr mme mlle mme. m me pr dra
sr sra srta don doña dona d dña sig sig.ra sig.na dott dott.ssa dottssa prof.ssa ing avv dhr mevr mw
heer mevrouw meneer""".split())
